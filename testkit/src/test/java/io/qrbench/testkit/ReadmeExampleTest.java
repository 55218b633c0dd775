package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test-kit example compiles, with the README's perturbation example, and its contract
 * passes: the way the README tells authors to test a plugin works as written.
 */
class ReadmeExampleTest {
  private static final Path README = Path.of("..", "README.md");

  @TempDir Path dir;

  /** The fenced block that follows {@code <!-- plugin-example:NAME -->} in the README. */
  private static String block(String readme, String name) {
    int marker = readme.indexOf("<!-- plugin-example:" + name + " -->");
    assertTrue(marker >= 0, "README lost its " + name + " example");
    int open = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
    int close = readme.indexOf("\n```", open);
    return readme.substring(open, close + 1);
  }

  @Test
  void theReadmesContractTestCompilesAndPasses() throws Exception {
    String readme = Files.readString(README);
    Path pkg = Files.createDirectories(dir.resolve("src/com/example/qrbench"));
    Path plugin = Files.writeString(pkg.resolve("Brightness.java"), block(readme, "java"));
    Path test =
        Files.writeString(pkg.resolve("BrightnessTest.java"), block(readme, "testkit-java"));
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
            plugin.toString(),
            test.toString());
    assertEquals(
        0,
        rc,
        () ->
            "the README examples do not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> contract = loader.loadClass("com.example.qrbench.BrightnessTest");
      assertEquals(
          Set.of(), ContractRun.failed(contract), "the README's plugin fails its contract");
    }
  }
}
