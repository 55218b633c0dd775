package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suite checks, re-rendering reports and comparing runs, through the command line. */
class ChecksReportCompareTest {
  private static final Path SUITE = Path.of("src/test/resources/suites/checks.yaml");

  @TempDir Path dir;
  @TempDir static Path shared;
  private static CliRunner trained;

  /** One run that trains the model; the other runs evaluate its weights. */
  @org.junit.jupiter.api.BeforeAll
  static void train() {
    trained = CliRunner.run("run", SUITE.toString(), "--out", shared.resolve("ok").toString());
  }

  /** The suite evaluating the trained weights (copied into {@code dir}), without its checks. */
  private Path fixedSuite() throws IOException {
    Files.copy(shared.resolve("ok/models/A.params"), dir.resolve("A.params"));
    Path fixed = dir.resolve("fixed.yaml");
    String text = Files.readString(SUITE);
    Files.writeString(
        fixed,
        text.substring(0, text.indexOf("checks:"))
            .replace(
                "    train: {epochs: 2, batch-size: 50, learning-rate: 0.05}",
                "    weights: A.params"));
    return fixed;
  }

  @Test
  void passingChecksAreRecordedAndAFailingCheckExitsWithItsOwnCode() throws IOException {
    CliRunner ok = trained;
    assertEquals(0, ok.exitCode(), ok::toString);
    RunResult r = ResultsJson.read(shared.resolve("ok/results.json"));
    assertEquals(2, r.checks().size());
    assertTrue(r.checksPassed(), () -> r.checks().toString());
    assertEquals(r.cases().get(0).metrics().top1(), r.checks().get(0).left(), 1e-9);
    assertTrue(ok.out().contains("checks: 2 of 2 passed"), ok::toString);

    Path failing = dir.resolve("failing.yaml");
    String checks = Files.readString(SUITE).substring(Files.readString(SUITE).indexOf("checks:"));
    Files.writeString(
        failing,
        Files.readString(fixedSuite())
            + checks.replace("\"A.clean.top1 > 20\"", "\"A.clean.top1 > 100\""));
    CliRunner bad =
        CliRunner.run("run", failing.toString(), "--out", dir.resolve("bad").toString());
    assertEquals(Main.CHECK_FAILED, bad.exitCode(), bad::toString);
    RunResult rb = ResultsJson.read(dir.resolve("bad/results.json"));
    assertEquals(RunStatus.COMPLETE, rb.status(), "every case ran");
    assertFalse(rb.checks().get(0).passed());
    assertTrue(rb.checks().get(0).detail().contains("does not hold"), rb.checks().get(0).detail());
    assertTrue(rb.checks().get(1).passed());
    assertTrue(bad.out().contains("CHECK FAILED: A.clean.top1 > 100"), bad::toString);
  }

  @Test
  void aMalformedCheckIsABadInputAtValidateTime() throws IOException {
    Path s = dir.resolve("malformed.yaml");
    Files.writeString(
        s, Files.readString(SUITE).replace("\"A.clean.top1 > 20\"", "\"A.clean.top1 >> 20\""));
    CliRunner v = CliRunner.run("validate", s.toString());
    assertEquals(Main.BAD_INPUT, v.exitCode(), v::toString);
    assertTrue(
        v.err().contains("malformed.yaml:15:5: checks[0]: check 'A.clean.top1 >> 20'"),
        v::toString);
    CliRunner ok = CliRunner.run("validate", SUITE.toString());
    assertEquals(0, ok.exitCode(), ok::toString);
    assertTrue(ok.out().contains("2 check(s)"), ok::toString);
  }

  @Test
  void reportRendersWithoutRerunningAndCompareSeparatesNoiseFromChange() throws IOException {
    assertEquals(0, trained.exitCode(), trained::toString);
    // the same trained weights evaluated under two seeds: only the noise draws differ
    Path fixed = fixedSuite();
    CliRunner s1 =
        CliRunner.run(
            "run", fixed.toString(), "--seed", "1", "--out", dir.resolve("s1").toString());
    CliRunner s2 =
        CliRunner.run(
            "run", fixed.toString(), "--seed", "2", "--out", dir.resolve("s2").toString());
    assertEquals(0, s1.exitCode(), s1::toString);
    assertEquals(0, s2.exitCode(), s2::toString);
    CliRunner same =
        CliRunner.run(
            "compare",
            dir.resolve("s1/results.json").toString(),
            dir.resolve("s2/results.json").toString(),
            "--fail-on-change",
            "--all");
    assertEquals(0, same.exitCode(), same::toString);
    assertTrue(same.out().contains("3 case(s) compared: no significant change"), same::toString);
    assertTrue(same.out().contains("A/none"), same::toString);

    // a binarised copy of the same model is a real change
    Path worse = dir.resolve("worse.yaml");
    Files.writeString(
        worse,
        Files.readString(fixed)
            .replace("    weights: A.params", "    weights: A.params\n    quantizer: binary"));
    CliRunner w =
        CliRunner.run("run", worse.toString(), "--seed", "1", "--out", dir.resolve("w").toString());
    assertEquals(0, w.exitCode(), w::toString);
    CliRunner changed =
        CliRunner.run(
            "compare",
            dir.resolve("s1/results.json").toString(),
            dir.resolve("w/results.json").toString(),
            "--fail-on-change");
    assertEquals(Main.CHECK_FAILED, changed.exitCode(), changed::toString);
    assertTrue(changed.out().contains("WORSE"), changed::toString);

    Path rendered = dir.resolve("rendered");
    CliRunner rep =
        CliRunner.run(
            "report",
            dir.resolve("s1/results.json").toString(),
            "--format",
            "csv,markdown",
            "--out",
            rendered.toString());
    assertEquals(0, rep.exitCode(), rep::toString);
    assertTrue(Files.readString(rendered.resolve("results.csv")).contains("A/none"));
    double clean = ResultsJson.read(dir.resolve("s1/results.json")).cases().get(0).metrics().top1();
    String md = Files.readString(rendered.resolve("summary.md"));
    assertTrue(
        md.contains("| none |  | " + String.format(java.util.Locale.ROOT, "%.1f", clean) + " |"),
        md);
    CliRunner unknown =
        CliRunner.run("report", dir.resolve("s1/results.json").toString(), "--format", "htm");
    assertEquals(Main.BAD_INPUT, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.err().contains("did you mean 'html'"), unknown::toString);
  }
}
