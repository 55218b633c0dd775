package io.qrbench.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The benchmarks measure qrbench through what it exports, never through an {@code internal} package
 * (issue 17). This module depends on cli, so cli's ArchitectureTest, which keeps every other
 * structure rule, cannot see these classes: the rule lives here.
 */
@AnalyzeClasses(
    packages = "io.qrbench.benchmarks",
    importOptions = ImportOption.DoNotIncludeTests.class)
class BenchmarksStructureTest {

  @ArchTest
  static final ArchRule benchmarksNeverUseInternals =
      noClasses()
          .that()
          .resideInAPackage("io.qrbench.benchmarks..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..internal..")
          .because("internal packages are no API, not even for qrbench's own benchmarks");
}
