package io.qrbench.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.qrbench.spi.SpiVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's structure, kept by tests rather than by good intentions (issue 17): plugins and
 * report writers compile against the SPI alone, the SPI knows nothing of the engine that runs it,
 * no package sits in a cycle, and nothing outside framework reaches into an {@code internal}
 * package. The cli module's test class path holds every module but the benchmarks (which depend on
 * cli); the benchmarks keep their own rule in {@code BenchmarksStructureTest}. Only main classes
 * are checked: tests may run plugins through the real runner.
 */
@AnalyzeClasses(
    packages = "io.qrbench",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

  /**
   * framework/'s packages: the engine, internal to qrbench whatever their classes' modifiers say.
   */
  static final String[] FRAMEWORK = {
    "io.qrbench.check..",
    "io.qrbench.registry..",
    "io.qrbench.runner..",
    "io.qrbench.suite..",
    "io.qrbench.train..",
    "io.qrbench.weights..",
    "io.qrbench.util..",
    "io.qrbench.store.."
  };

  /**
   * What any plugin module may use besides the SPI and its own packages: the JDK, DJL and Jackson.
   */
  private static final String[] PLATFORM = {
    "java..", "javax..", "jdk..", "ai.djl..", "com.fasterxml.jackson.."
  };

  /**
   * The classes of the SPI module (qrbench-spi), found by where they were loaded from rather than
   * by a list of packages, so that a package added to or moved out of the SPI needs no edit here.
   */
  static final DescribedPredicate<JavaClass> IN_SPI =
      inModuleOf(SpiVersion.class, "are in the SPI module (qrbench-spi)");

  /** (a) Every package of qrbench is its own slice: a cycle between any two is a failure. */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices()
          .assignedFrom(eachPackage())
          .should()
          .beFreeOfCycles()
          .as("qrbench's packages are free of cycles");

  /**
   * (b) Each plugin module and the report writers: the SPI, their own packages, the platform, their
   * libraries.
   */
  @ArchTest static final ArchRule modelsUseTheSpiOnly = pluginModule("io.qrbench.models..");

  @ArchTest
  static final ArchRule datasetsUseTheSpiOnly =
      pluginModule("io.qrbench.datasets..", "org.apache.commons.compress..");

  @ArchTest static final ArchRule quantizersUseTheSpiOnly = pluginModule("io.qrbench.quantizers..");

  @ArchTest
  static final ArchRule perturbationsUseTheSpiOnly = pluginModule("io.qrbench.perturbations..");

  @ArchTest
  static final ArchRule reportsUseTheSpiOnly =
      pluginModule("io.qrbench.reports..", "io.qameta.allure.model..");

  /** (b), said directly, so that a failure names the framework package a plugin reached for. */
  @ArchTest
  static final ArchRule pluginsNeverReachTheFramework =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.qrbench.models..",
              "io.qrbench.datasets..",
              "io.qrbench.quantizers..",
              "io.qrbench.perturbations..",
              "io.qrbench.reports..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(FRAMEWORK)
          .because("plugins and report writers compile against qrbench-spi; framework is internal");

  /** (c) The SPI is what the engine implements against, never the other way round. */
  @ArchTest
  static final ArchRule theSpiNeverReachesTheFramework =
      noClasses()
          .that(IN_SPI)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(FRAMEWORK)
          .because("a plugin author's class path holds qrbench-spi alone");

  /**
   * (d) An {@code internal} package is for its own module; the command uses what framework exports.
   */
  @ArchTest
  static final ArchRule cliNeverUsesInternals =
      noClasses()
          .that()
          .resideInAPackage("io.qrbench.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..internal..")
          .because("internal packages are no API, not even for qrbench's own command");

  /** Guards the rules above: framework's classes are never taken for the SPI module's. */
  @ArchTest
  static final ArchRule theSpiModuleIsToldApart =
      noClasses().that().resideInAnyPackage(FRAMEWORK).should(ArchConditions.be(IN_SPI));

  private static ArchRule pluginModule(String own, String... libraries) {
    String[] allowed =
        Stream.of(new String[] {own}, PLATFORM, libraries)
            .flatMap(Arrays::stream)
            .toArray(String[]::new);
    return classes()
        .that()
        .resideInAPackage(own)
        .should()
        .onlyDependOnClassesThat(IN_SPI.or(resideInAnyPackage(allowed)))
        .because("plugins and report writers compile against qrbench-spi; framework is internal");
  }

  /** Slices by package, qrbench's own main classes only (everything else is ignored). */
  private static SliceAssignment eachPackage() {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        return p.equals("io.qrbench") || p.startsWith("io.qrbench.")
            ? SliceIdentifier.of(p)
            : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "each package of io.qrbench";
      }
    };
  }

  /**
   * Classes loaded from the same class folder or jar as {@code marker}: a module, whether the build
   * resolved it to target/classes (in the reactor) or to its jar (from the local repository).
   */
  static DescribedPredicate<JavaClass> inModuleOf(Class<?> marker, String description) {
    Path root;
    try {
      root = Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no location for " + marker, e);
    }
    return DescribedPredicate.describe(
        description,
        c -> c.getSource().map(s -> fileOf(s.getUri()).startsWith(root)).orElse(false));
  }

  /** The class file, or the jar holding it ({@code jar:file:///x.jar!/a/B.class}). */
  private static Path fileOf(URI uri) {
    String s = uri.toString();
    if (s.startsWith("jar:")) {
      int bang = s.indexOf("!/");
      s = s.substring(4, bang < 0 ? s.length() : bang);
    }
    return Path.of(URI.create(s));
  }

  /**
   * Leaves out other modules' test jars (framework's is on this class path), as the test folders
   * are.
   */
  static final class NoTestJars implements ImportOption {
    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

    @Override
    public boolean includes(Location location) {
      return !location.matches(TEST_JAR);
    }
  }
}
