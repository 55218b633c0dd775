package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin route a user takes: a plugin compiled on its own into a jar, dropped into a plugin
 * folder, is found by {@code list-plugins}, {@code validate} and {@code run} without touching
 * qrbench's class path (issue 22, item 1).
 */
class PluginFolderTest {
  private static final String SOURCE =
      """
      package com.example.darken;

      import ai.djl.ndarray.NDArray;
      import io.qrbench.spi.Bound;
      import io.qrbench.spi.Perturbation;
      import io.qrbench.spi.PerturbationContext;

      public final class Darken implements Perturbation<Darken.Config> {
        public record Config(@Bound(min = 0, max = 1, why = "a fraction") Double factor) {
          public Config {
            factor = factor == null ? 0.5 : factor;
          }
        }

        @Override public String id() { return "darken"; }
        @Override public String description() { return "scales every pixel towards black"; }
        @Override public Class<Config> configType() { return Config.class; }

        @Override
        public NDArray apply(Config config, PerturbationContext ctx) {
          return ctx.images().mul(1 - config.factor().floatValue());
        }
      }
      """;

  private static final String SUITE =
      """
      name: darken-demo
      seed: 3
      dataset: {id: synthetic, train-size: 200, test-size: 64}
      models:
        - name: cnn
          model: {id: small-cnn, width: 4}
          train: {epochs: 1}
      perturbations:
        - none
        - id: darken
          factor: [0.5]
      reports: [json]
      """;

  @TempDir Path dir;

  @Test
  void aJarInAPluginFolderIsListedValidatedAndRun() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    pluginJar(plugins.resolve("darken.jar"), SpiVersion.CURRENT);
    Path suite = Files.writeString(dir.resolve("darken.yaml"), SUITE);

    // without the folder the plugin is unknown: the suite names it and fails as bad input
    CliRunner unknown = CliRunner.run("validate", suite.toString());
    assertEquals(Main.BAD_INPUT, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("darken"), unknown.toString());

    CliRunner listed =
        CliRunner.run(
            "--plugin-path", plugins.toString(), "list-plugins", "--kind", "perturbation");
    assertEquals(Main.OK, listed.exitCode(), listed.toString());
    assertTrue(listed.out().contains("darken "), listed.toString());
    assertTrue(listed.out().contains("com.example.darken.Darken"), listed.toString());

    // the option is global: it may also follow the command's name
    CliRunner valid =
        CliRunner.run("validate", "--plugin-path", plugins.toString(), suite.toString());
    assertEquals(Main.OK, valid.exitCode(), valid.toString());

    Path out = dir.resolve("out");
    CliRunner ran =
        CliRunner.run(
            "--plugin-path", plugins.toString(), "run", suite.toString(), "--out", out.toString());
    assertEquals(Main.OK, ran.exitCode(), ran.toString());
    String results = Files.readString(out.resolve("results.json"));
    assertTrue(results.contains("cnn/darken[factor=0.5]"), results);

    // the registry is found through the thread's class loader only for the command's duration
    assertEquals(Main.BAD_INPUT, CliRunner.run("validate", suite.toString()).exitCode());
  }

  @Test
  void aPluginJarBuiltForAnotherSpiMajorIsRefusedFromTheFolderToo() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = pluginJar(plugins.resolve("darken.jar"), (SpiVersion.MAJOR + 1) + ".0");
    CliRunner r = CliRunner.run("--plugin-path", plugins.toString(), "list-plugins");
    assertTrue(r.exitCode() != Main.OK, r.toString());
    assertTrue(r.err().contains("refusing") && r.err().contains(jar.toString()), r.toString());
  }

  @Test
  void aMissingFolderNamedByTheUserIsBadInputButAMissingDefaultFolderIsNot() throws Exception {
    Path missing = dir.resolve("nowhere");
    CliRunner r = CliRunner.run("--plugin-path", missing.toString(), "list-plugins");
    assertEquals(Main.BAD_INPUT, r.exitCode(), r.toString());
    assertTrue(r.err().contains("nowhere") && r.err().contains("--plugin-path"), r.toString());

    assertEquals(List.of(), PluginPath.jars(null, null, missing.toString()));
  }

  @Test
  void foldersAreSearchedOptionThenEnvironmentThenDefaultEachJarOnce() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Path c = Files.createDirectories(dir.resolve("c"));
    Files.writeString(a.resolve("z.jar"), "");
    Files.writeString(a.resolve("y.jar"), "");
    Files.writeString(a.resolve("notes.txt"), "not a jar");
    Files.writeString(b.resolve("x.jar"), "");
    Files.writeString(c.resolve("w.jar"), "");
    List<Path> jars = PluginPath.jars(a.toString(), b + File.pathSeparator + a, c.toString());
    assertEquals(
        List.of(a.resolve("y.jar"), a.resolve("z.jar"), b.resolve("x.jar"), c.resolve("w.jar")),
        jars);
    assertFalse(jars.contains(a.resolve("notes.txt")));
    // a single jar may be named directly
    assertEquals(
        List.of(b.resolve("x.jar")), PluginPath.jars(b.resolve("x.jar").toString(), "", ""));
  }

  /** The launcher passes the checkout's plugins/ folder, whose jars git ignores. */
  @Test
  void theLauncherPassesTheCheckoutsPluginFolder() throws Exception {
    String launcher = Files.readString(Path.of("..", "bin", "qrbench"));
    assertTrue(
        launcher.contains("-D" + PluginPath.DEFAULT_PROPERTY + "=\"$root/plugins\""), launcher);
    assertTrue(Files.isRegularFile(Path.of("..", "plugins", "README.md")));
    List<String> ignored = Files.readAllLines(Path.of("..", ".gitignore"));
    assertTrue(
        ignored.contains("plugins/*") && ignored.contains("!plugins/README.md"),
        ignored.toString());
  }

  /** Compiles {@link #SOURCE} against qrbench's SPI and packs it with its services file. */
  private Path pluginJar(Path jar, String spiVersion) throws Exception {
    Path src = dir.resolve("src/com/example/darken/Darken.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests need a JDK, not a JRE");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "--release",
            "17",
            "-classpath",
            cp,
            "-d",
            classes.toString(),
            src.toString());
    assertEquals(0, rc, () -> diagnostics.toString(StandardCharsets.UTF_8));

    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, spiVersion);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry("META-INF/services/io.qrbench.spi.Perturbation"));
      j.write("com.example.darken.Darken\n".getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
