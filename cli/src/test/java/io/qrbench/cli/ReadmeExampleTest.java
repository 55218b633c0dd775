package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.ModelResult;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.result.RunResult;
import io.qrbench.runner.PostTrainingQuantization;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.PluginConfigs;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "write your own plugin" example compiles, is discovered and runs as written. */
class ReadmeExampleTest {
  private static final Path README = Path.of("..", "README.md");

  @TempDir Path dir;

  /** The fenced block that follows {@code <!-- plugin-example:NAME -->} in the README. */
  static String block(String readme, String name) {
    int marker = readme.indexOf("<!-- plugin-example:" + name + " -->");
    assertTrue(marker >= 0, "README lost its " + name + " example");
    int open = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
    int close = readme.indexOf("\n```", open);
    return readme.substring(open, close + 1);
  }

  @Test
  void exampleCompilesRegistersAndRuns() throws Exception {
    String readme = Files.readString(README);
    Path src = dir.resolve("src/com/example/qrbench/Brightness.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, block(readme, "java"));
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
    assertEquals(
        0,
        rc,
        () ->
            "the README example does not compile:\n"
                + diagnostics.toString(StandardCharsets.UTF_8));

    Path services = Files.createDirectories(classes.resolve("META-INF/services"));
    Files.writeString(services.resolve("io.qrbench.spi.Perturbation"), block(readme, "services"));

    Path suiteFile = dir.resolve("brightness-demo.yaml");
    Files.writeString(suiteFile, block(readme, "yaml"));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      PluginRegistry registry = PluginRegistry.discover(loader);
      assertTrue(
          registry.ids(PluginKind.PERTURBATION).contains("brightness"),
          registry.ids(PluginKind.PERTURBATION).toString());
      Suite suite = new SuiteLoader(registry).load(suiteFile);
      RunResult r =
          new Runner(new RunListener() {})
              .run(suite, new Runner.Options(dir.resolve("out"), false, false));
      Map<String, CaseResult> cases =
          r.cases().stream().collect(Collectors.toMap(CaseResult::id, c -> c));
      assertEquals(
          List.of("cnn/none", "cnn/brightness[delta=0.1]", "cnn/brightness[delta=0.3]"),
          r.cases().stream().map(CaseResult::id).toList());
      assertTrue(r.allPassed());
      double small = cases.get("cnn/brightness[delta=0.1]").metrics().meanAbs();
      double large = cases.get("cnn/brightness[delta=0.3]").metrics().meanAbs();
      assertTrue(
          small > 0.05 && small <= 0.1 + 1e-6,
          "brightening by 0.1 moves pixels by at most 0.1: " + small);
      assertTrue(large > small && large <= 0.3 + 1e-6, "and by 0.3 further: " + large);
    }
  }

  /**
   * Compiles the README block {@code javaBlock} as {@code className} and registers it as a {@code
   * kind}.
   */
  private Path compile(
      String readme, String javaBlock, String className, String servicesBlock, String service)
      throws Exception {
    Path src = dir.resolve("src/com/example/qrbench/" + className + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, block(readme, javaBlock));
    Path classes = Files.createDirectories(dir.resolve("classes-" + className));
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
    assertEquals(
        0,
        rc,
        () ->
            "the README's "
                + className
                + " does not compile:\n"
                + diagnostics.toString(StandardCharsets.UTF_8));
    Path services = Files.createDirectories(classes.resolve("META-INF/services"));
    Files.writeString(services.resolve(service), block(readme, servicesBlock));
    return classes;
  }

  /**
   * The README's quantizer: it compiles against the SPI and the quantizer helpers, runs in a suite,
   * packs with {@code qrbench quantize}, and the packed file, read by a framework that has never
   * heard of it, evaluates exactly like quantizing the same weights in the run.
   */
  @Test
  void quantizerExampleCompilesRunsAndItsPackedFileReadsBackExactly() throws Exception {
    String readme = Files.readString(README);
    Path classes =
        compile(
            readme,
            "quantizer-java",
            "FourLevels",
            "quantizer-services",
            "io.qrbench.spi.Quantizer");
    Path suiteFile = dir.resolve("four-levels-demo.yaml");
    Files.writeString(suiteFile, block(readme, "quantizer-yaml"));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      PluginRegistry registry = PluginRegistry.discover(loader);
      assertTrue(
          registry.ids(PluginKind.QUANTIZER).contains("four-levels"),
          registry.ids(PluginKind.QUANTIZER).toString());
      Path out = dir.resolve("out");
      RunResult r =
          new Runner(new RunListener() {})
              .run(
                  new SuiteLoader(registry).load(suiteFile), new Runner.Options(out, false, false));
      assertEquals(
          List.of("fp/none", "four-levels/none"), r.cases().stream().map(CaseResult::id).toList());
      assertTrue(r.allPassed());
      Map<String, ModelResult> models =
          r.models().stream().collect(Collectors.toMap(ModelResult::name, m -> m));
      QuantizationSummary q = models.get("four-levels").quantization();
      List<Boolean> quantized =
          q.layers().stream().map(QuantizationSummary.Layer::quantized).toList();
      assertEquals(
          List.of(false, true, false), quantized, "small-cnn's first and last layer stay FP");
      for (QuantizationSummary.Layer l : q.layers()) {
        assertEquals(l.quantized() ? 2.0 : 32.0, l.bitsPerWeight(), l.name());
      }
      assertTrue(
          models.get("four-levels").cost().packedBytes()
              < models.get("fp").cost().packedBytes() / 2);

      // qrbench quantize with it: every packed kernel must decode to what quantizing set (checked
      // there)
      Path fp = out.resolve("models").resolve("fp.params");
      Path packed = dir.resolve("fp-four-levels.qrbq");
      PluginConfig model =
          PluginConfigs.parse(registry, PluginKind.MODEL, "{id: small-cnn, width: 8}", "--model");
      PluginConfig four =
          PluginConfigs.parse(
              registry, PluginKind.QUANTIZER, "{id: four-levels, inner: 0.25}", "--quantizer");
      PostTrainingQuantization.run(model, four, fp, packed);
      assertTrue(
          Files.size(packed) * 2 < Files.size(fp), Files.size(packed) + " vs " + Files.size(fp));

      Path both = dir.resolve("both.yaml");
      Files.writeString(
          both,
          """
          name: four-levels-packed
          seed: 1
          dataset: {id: synthetic, train-size: 1000, test-size: 200}
          models:
            - {name: in-run, model: {id: small-cnn, width: 8}, quantizer: {id: four-levels, inner: 0.25}, weights: %s}
            - {name: packed, model: {id: small-cnn, width: 8}, quantizer: {id: four-levels, inner: 0.25}, weights: %s}
          """
              .formatted(fp.toAbsolutePath(), packed.toAbsolutePath()));
      RunResult b =
          new Runner(new RunListener() {})
              .run(
                  new SuiteLoader(registry).load(both),
                  new Runner.Options(dir.resolve("out-both"), false, false));
      assertTrue(b.allPassed());
      CaseResult inRun = b.cases().get(0);
      CaseResult fromFile = b.cases().get(1);
      assertEquals("packed/none", fromFile.id());
      assertEquals(inRun.metrics().top1(), fromFile.metrics().top1());
      assertEquals(inRun.metrics().top5(), fromFile.metrics().top5());
      assertEquals(inRun.metrics().meanAbs(), fromFile.metrics().meanAbs());
    }
  }
}
