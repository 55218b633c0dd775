package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.testing.MachineRequirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CI runs {@code .ci/run} on a clean clone. It must run exactly the README's test command, with
 * everything installed that the tests need and with skipping turned into failing, so that a browser
 * or data test cannot pass CI by not running.
 */
class CiScriptTest {
  private static final Path ROOT = Path.of("..");

  private static List<String> commands(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  /** The line after "# 2. run the tests" in the README's first bash block. */
  private static String readmeTestCommand() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    for (int i = 0; i + 1 < readme.size(); i++) {
      if (readme.get(i).strip().startsWith("# 2. run the tests")) {
        return readme.get(i + 1).strip();
      }
    }
    throw new AssertionError("README.md has no '# 2. run the tests' line");
  }

  @Test
  void runsTheReadmesTestCommandLastAndStrictly() throws IOException {
    List<String> ci = commands(ROOT.resolve(".ci/run"));
    assertEquals(
        readmeTestCommand(),
        ci.get(ci.size() - 1),
        ".ci/run must end with the README's test command");
    assertTrue(
        ci.contains("export " + MachineRequirement.STRICT + "=true"),
        ".ci/run must export " + MachineRequirement.STRICT + "=true before the tests: " + ci);
  }

  @Test
  void installsTheBrowserAndFailsWithoutTheData() throws IOException {
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    assertTrue(
        ci.contains("need+=(chromium)") && ci.contains("need+=(chromium-driver)"),
        "installs Chromium");
    int fetch = ci.indexOf("if ! bin/qrbench data fetch cifar10; then");
    assertTrue(fetch >= 0, "fetches CIFAR-10");
    String onFailure = ci.substring(fetch, ci.indexOf("fi", fetch));
    assertTrue(onFailure.contains("exit 1"), "a failed fetch must fail CI: " + onFailure);
  }
}
