package io.qrbench.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.qrbench.PluginException;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.SpiVersion;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry reads the SPI version a plugin jar declares and refuses an incompatible one before
 * the plugin's code runs. The plugin here is compiled from source at test time and packed into a
 * real jar, as a third party's would be, so the check sees exactly what it sees in production.
 */
class SpiVersionCheckTest {
  private static final String PLUGIN = "com.example.brightness.Brightness";

  @TempDir static Path shared;
  private static Path classes;

  @BeforeAll
  static void compilePlugin() throws Exception {
    Path src = Files.createDirectories(shared.resolve("src/com/example/brightness"));
    Path file = src.resolve("Brightness.java");
    Files.writeString(
        file,
        """
        package com.example.brightness;

        import ai.djl.ndarray.NDArray;
        import io.qrbench.spi.Perturbation;
        import io.qrbench.spi.PerturbationContext;

        public final class Brightness implements Perturbation<Brightness.Config> {
          public record Config(Float delta) {}
          public String id() { return "brightness"; }
          public String description() { return "adds a constant"; }
          public Class<Config> configType() { return Config.class; }
          public NDArray apply(Config c, PerturbationContext ctx) {
            return ctx.images().add(c.delta()).clip(0f, 1f);
          }
        }
        """);
    classes = Files.createDirectories(shared.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath =
        codeSource(Perturbation.class) + java.io.File.pathSeparator + codeSource(NDArray.class);
    int rc =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-classpath",
            classPath,
            "--release",
            "17",
            file.toString());
    assertEquals(0, rc, "the sample plugin compiles against the SPI");
  }

  private static String codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** A plugin jar with the given manifest attribute value (null: no attribute). */
  private static Path jar(Path dir, String declared) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (declared != null) {
      manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, declared);
    }
    Path jar = dir.resolve("brightness.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry("META-INF/services/" + Perturbation.class.getName()));
      j.write((PLUGIN + "\n").getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }

  private static PluginRegistry discover(Path jar) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {jar.toUri().toURL()}, SpiVersionCheckTest.class.getClassLoader())) {
      return PluginRegistry.discover(loader);
    }
  }

  @Test
  void aJarBuiltForThisSpiLoads(@TempDir Path dir) throws Exception {
    PluginRegistry r = discover(jar(dir, SpiVersion.CURRENT));
    assertEquals(PLUGIN, r.get(PluginKind.PERTURBATION, "brightness").getClass().getName());
  }

  @Test
  void aJarBuiltForAnOlderMinorLoads(@TempDir Path dir) throws Exception {
    // a real jar at the oldest minor of this major loads; the rule for other minors: SpiVersionTest
    PluginRegistry r = discover(jar(dir, SpiVersion.MAJOR + ".0"));
    assertTrue(r.ids(PluginKind.PERTURBATION).contains("brightness"));
  }

  @Test
  void aJarBuiltForAnotherMajorIsRefusedNamingItAndBothVersions(@TempDir Path dir)
      throws Exception {
    Path jar = jar(dir, (SpiVersion.MAJOR + 1) + ".0");
    PluginException e = assertThrows(PluginException.class, () -> discover(jar));
    String m = e.getMessage();
    assertTrue(m.contains(PLUGIN) && m.contains(jar.toString()), m);
    assertTrue(
        m.contains("SPI " + (SpiVersion.MAJOR + 1) + ".0") && m.contains(SpiVersion.CURRENT), m);
  }

  @Test
  void aJarBuiltForANewerMinorIsRefused(@TempDir Path dir) throws Exception {
    Path jar = jar(dir, SpiVersion.MAJOR + "." + (SpiVersion.MINOR + 1));
    PluginException e = assertThrows(PluginException.class, () -> discover(jar));
    assertTrue(
        e.getMessage().contains("newer than this qrbench's SPI " + SpiVersion.CURRENT),
        e.getMessage());
  }

  @Test
  void aJarWithoutTheAttributeIsRefusedWithTheLineToAdd(@TempDir Path dir) throws Exception {
    Path jar = jar(dir, null);
    PluginException e = assertThrows(PluginException.class, () -> discover(jar));
    assertTrue(
        e.getMessage().contains(SpiVersion.MANIFEST_ATTRIBUTE + ": " + SpiVersion.CURRENT),
        e.getMessage());
  }

  @Test
  void theRuleItself() {
    assertNull(SpiVersion.incompatibility(SpiVersion.CURRENT));
    assertTrue(SpiVersion.incompatibility("1.x").contains("not MAJOR.MINOR"));
    assertTrue(SpiVersion.incompatibility("0.9").contains("rebuild the plugin"));
    assertTrue(
        SpiVersion.incompatibility((SpiVersion.MAJOR + 1) + ".0")
            .contains("use a qrbench release"));
  }

  /** Every qrbench jar's manifest gets the pom's version: the two must not drift. */
  @Test
  void thePomDeclaresTheSameVersionAsTheCode() throws Exception {
    Path pom = Path.of("..", "pom.xml");
    Matcher m =
        Pattern.compile("<qrbench\\.spi\\.version>([^<]+)</qrbench\\.spi\\.version>")
            .matcher(Files.readString(pom));
    assertTrue(m.find(), "the parent pom defines qrbench.spi.version");
    assertEquals(SpiVersion.CURRENT, m.group(1));
  }

  @Test
  void classesFromADirectoryAreAccepted() {
    // the framework's own test classes come from target/classes, not a jar
    assertDoesNotThrow(
        () -> PluginRegistry.checkSpiVersion(PluginKind.PERTURBATION, SpiVersionCheckTest.class));
  }
}
