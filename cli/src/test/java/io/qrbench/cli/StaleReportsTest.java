package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that replaces an output folder's results removes the earlier run's reports first: if it
 * then stops before writing its own, no Allure result of the earlier run is left to be read as this
 * run's (issue 22.6).
 */
class StaleReportsTest {
  @TempDir Path dir;

  @Test
  void aFailedRunLeavesNoReportOfTheRunItReplaced() throws Exception {
    Path suiteFile =
        Files.writeString(
            dir.resolve("s.yaml"),
            """
            name: stale
            seed: 1
            dataset: {id: synthetic, train-size: 100, test-size: 32}
            models:
              - name: cnn
                model: {id: small-cnn, width: 4}
                train: {epochs: 1}
            perturbations: [none]
            reports: [json, csv, allure]
            """);
    Path out = dir.resolve("out");
    CliRunner first = CliRunner.run("run", suiteFile.toString(), "--out", out.toString());
    assertEquals(Main.OK, first.exitCode(), first.toString());
    assertTrue(count(out.resolve("allure-results")) > 0);
    Path csv;
    try (Stream<Path> s = Files.list(out)) {
      csv = s.filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    Path mine = Files.writeString(out.resolve("notes.txt"), "the user's own file");

    Suite suite = new SuiteLoader(PluginRegistry.discover()).load(suiteFile);
    RunListener stops =
        new RunListener() {
          @Override
          public void caseFinished(CaseResult r) {
            throw new IllegalStateException("stopped before the reports");
          }
        };
    assertThrows(
        IllegalStateException.class,
        () -> new Runner(stops).run(suite, new Runner.Options(out, false, true)));

    assertFalse(Files.exists(out.resolve("allure-results")), "the earlier run's Allure results");
    assertFalse(Files.exists(csv), "the earlier run's CSV");
    assertTrue(Files.exists(out.resolve("results.json")), "the new run's journal");
    assertTrue(Files.exists(mine), "files no report wrote stay");
  }

  private static long count(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.count();
    }
  }
}
