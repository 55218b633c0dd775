package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  @Test
  void versionNamesQrbenchAndDjl() {
    CliRunner r = CliRunner.run("--version");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("qrbench 0.") && r.out().contains("DJL 0.36.0"), r::toString);
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    CliRunner r = CliRunner.run("--help");
    assertEquals(0, r.exitCode());
    for (String s : List.of("run", "validate", "list-plugins", "Exit codes", "bad input")) {
      assertTrue(r.out().contains(s), () -> s + " missing from\n" + r);
    }
  }

  @Test
  void listPluginsShowsEveryKindWithConfigKeys() {
    CliRunner r = CliRunner.run("list-plugins");
    assertEquals(0, r.exitCode(), r::toString);
    for (String s :
        List.of(
            "MODELS",
            "DATASETS",
            "QUANTIZERS",
            "PERTURBATIONS",
            "REPORTS",
            "small-cnn",
            "synthetic",
            "fp32",
            "none",
            "gaussian",
            "json",
            "invert-colours",
            "var:",
            "number in [0, 1] = 0.01",
            "width:",
            "integer in [1, 1024] = 16",
            "seed:",
            "integer = 20160101")) {
      assertTrue(r.out().contains(s), () -> s + " missing from\n" + r);
    }
  }

  @Test
  void listPluginsOfOneKind() {
    CliRunner r = CliRunner.run("list-plugins", "--kind", "quantizer");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("fp32") && !r.out().contains("gaussian"), r::toString);
    CliRunner bad = CliRunner.run("list-plugins", "--kind", "quantiser");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("unknown plugin kind 'quantiser'"), bad::toString);
  }

  @Test
  void validateNamesFileLinePathAndSuggestionThenExits2() throws IOException {
    Path suite = dir.resolve("bad.yaml");
    Files.writeString(
        suite,
        """
        name: bad
        dataset: synthetic
        models:
          - name: m
            model: small-cnn
            train: {epochs: 1}
        perturbations:
          - none
          - {id: gausian, var: 0.01}
        batch-sise: 32
        """);
    CliRunner r = CliRunner.run("validate", suite.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(
        r.err()
            .contains(
                suite + ":10:1: batch-sise: unknown key 'batch-sise'; did you mean 'batch-size'?"),
        r::toString);
    assertTrue(
        r.err()
            .contains(
                suite
                    + ":9:10: perturbations[1].id: unknown perturbation 'gausian'; did you mean 'gaussian'?"),
        r::toString);
    assertTrue(r.err().contains("2 problems"), r::toString);
    assertTrue(
        r.err().indexOf(":9:10:") < r.err().indexOf(":10:1:"), "problems come in document order");
  }

  @Test
  void everyShippedSuiteValidates() throws IOException {
    try (Stream<Path> suites = Files.list(Path.of("..", "suites"))) {
      List<Path> files = suites.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertTrue(files.size() >= 1);
      for (Path f : files) {
        CliRunner r = CliRunner.run("validate", f.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("is valid"), r::toString);
      }
    }
  }

  @Test
  void runWithAMissingSuiteFileExits2() {
    CliRunner r =
        CliRunner.run("run", dir.resolve("nope.yaml").toString(), "--out", dir.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(
        r.err().contains("nope.yaml") && r.err().contains("cannot read the suite"), r::toString);
  }

  @Test
  void badOptionsExit2() {
    assertEquals(2, CliRunner.run("run").exitCode(), "missing SUITE");
    assertEquals(2, CliRunner.run("run", "x.yaml", "--limit", "many").exitCode());
    assertEquals(2, CliRunner.run("frobnicate").exitCode());
    CliRunner r =
        CliRunner.run("run", "../suites/quickstart.yaml", "--limit", "0", "--out", dir.toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--limit must be at least 1"), r::toString);
  }
}
