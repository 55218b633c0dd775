package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} and {@code compare} on a results.json written by schema /1 (the fixture the
 * framework's schema test reads: the last /1 runner's output for a tiny suite with two sweeps, a
 * failing perturbation, checks and speed).
 */
class Schema1ResultsTest {
  private static final Path V1 =
      Path.of("../framework/src/test/resources/io/qrbench/store/results-v1.json");

  @TempDir Path dir;

  @Test
  void reportRendersASchema1FileWithItsSweepsAsCurves() throws IOException {
    assertTrue(Files.readString(V1).contains("\"schema\" : \"qrbench-results/1\""));
    Path out = dir.resolve("report");
    CliRunner rep =
        CliRunner.run(
            "report", V1.toString(), "--format", "html,csv,markdown,json", "--out", out.toString());
    assertEquals(0, rep.exitCode(), rep::toString);
    String csv = Files.readString(out.resolve("results.csv"));
    assertTrue(
        csv.contains("A/sweepable[strength=0.25],A,,sweepable,strength=0.25,top1,97.5\r\n"), csv);
    // a /1 file predates the backend column: its cells are empty
    assertTrue(csv.contains("A/explode,A,,explode,,status,boom at image 0\r\n"), csv);
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(
        html.contains("sweepable: top-1 accuracy by strength"),
        "strength is a numeric sweep: a curve");
    assertTrue(
        html.contains("gradient-sign: top-1 accuracy by epsilon"),
        "epsilon is a numeric sweep: a curve");
    RunResult upgraded = ResultsJson.read(out.resolve("results.json"));
    assertEquals(RunResult.SCHEMA, upgraded.schema());
    assertEquals(
        ResultsJson.read(V1),
        upgraded,
        "the json report rewrites a /1 run as /2, every value kept");
  }

  @Test
  void compareReadsASchema1FileAgainstItselfAndAgainstItsSchema2Copy() throws IOException {
    CliRunner same =
        CliRunner.run("compare", V1.toString(), V1.toString(), "--fail-on-change", "--all");
    assertEquals(0, same.exitCode(), same::toString);
    assertTrue(same.out().contains("no significant change"), same::toString);
    assertTrue(same.out().contains("A/sweepable[strength=0.5]"), same::toString);
    Path v2 = dir.resolve("v2.json");
    ResultsJson.write(ResultsJson.read(V1), v2);
    CliRunner mixed = CliRunner.run("compare", V1.toString(), v2.toString(), "--fail-on-change");
    assertEquals(0, mixed.exitCode(), mixed::toString);
    assertTrue(mixed.out().contains("no significant change"), mixed::toString);
  }
}
