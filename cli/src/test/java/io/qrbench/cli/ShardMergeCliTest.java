package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qrbench run --shard K/N} and {@code qrbench merge} with the shipped plugins: three shards
 * of a suite with noises and attacks (a transfer attack, a minimal attack whose medians need every
 * image) merge to the numbers of one run without shards.
 */
class ShardMergeCliTest {
  @TempDir Path dir;

  private static final String SUITE =
      """
      name: shards
      seed: 5
      dataset: {id: synthetic, train-size: 64, test-size: 120}
      models:
        - {name: FP, model: {id: small-cnn, width: 4}, train: {epochs: 1, batch-size: 32}}
        - {name: TWN, model: {id: small-cnn, width: 4}, quantizer: twn, train: {epochs: 1, batch-size: 32}}
      perturbations:
        - none
        - {id: gaussian, severity: 3}
        - {id: fgsm, epsilon: 0.03}
        - {id: pgd, epsilon: 0.03, steps: 4}
        - {id: pgd, name: pgd-from-fp, source: FP, epsilon: 0.03, steps: 3}
        - {id: minimal, step: 0.01, max-steps: 6, bisection: 2}
      batch-size: 16
      reports: [json, csv]
      checks:
        - "FP.none.top1 >= 0"
      """;

  private CliRunner run(String... args) {
    CliRunner r = CliRunner.run(args);
    return r;
  }

  @Test
  void threeShardsMergeToTheRunWithoutShards() throws Exception {
    Path suite = Files.writeString(dir.resolve("shards.yaml"), SUITE);
    CliRunner whole =
        run("run", suite.toString(), "--limit", "100", "--out", dir.resolve("whole").toString());
    assertEquals(0, whole.exitCode(), whole::toString);
    for (int k = 1; k <= 3; k++) {
      CliRunner s =
          run(
              "run",
              suite.toString(),
              "--limit",
              "100",
              "--shard",
              k + "/3",
              "--out",
              dir.resolve("s" + k).toString());
      assertEquals(0, s.exitCode(), s::toString);
      assertTrue(s.out().contains("shard " + k + "/3"), s::toString);
    }
    Path out = dir.resolve("merged");
    CliRunner m =
        run(
            "merge",
            "--out",
            out.toString(),
            dir.resolve("s2").toString(),
            dir.resolve("s1").toString(),
            dir.resolve("s3").toString());
    assertEquals(0, m.exitCode(), m::toString);
    assertTrue(m.out().contains("check passed"), m::toString);
    assertTrue(Files.exists(out.resolve("results.csv")) || hasCsv(out), m::toString);
    RunResult a = ResultsJson.read(dir.resolve("whole/results.json"));
    RunResult b = ResultsJson.read(out.resolve("results.json"));
    assertEquals(
        a.cases().stream().map(CaseResult::id).toList(),
        b.cases().stream().map(CaseResult::id).toList());
    assertEquals(12, a.cases().size());
    for (int i = 0; i < a.cases().size(); i++) {
      same(a.cases().get(i), b.cases().get(i));
    }
    assertTrue(
        a.cases().stream().anyMatch(c -> c.metrics().extra().containsKey(Metrics.MEDIAN_L2)));
    assertEquals(a.checks().size(), b.checks().size());

    // refusals: exit 2, the problem named, nothing written
    Path none = dir.resolve("refused");
    CliRunner missing =
        run(
            "merge",
            "--out",
            none.toString(),
            dir.resolve("s1").toString(),
            dir.resolve("s3").toString());
    assertEquals(Main.BAD_INPUT, missing.exitCode(), missing::toString);
    assertTrue(missing.err().contains("shard 2/3 missing"), missing::toString);
    assertFalse(Files.exists(none));
    CliRunner otherSeed =
        run(
            "run",
            suite.toString(),
            "--limit",
            "100",
            "--seed",
            "6",
            "--shard",
            "2/3",
            "--out",
            dir.resolve("seed6").toString());
    assertEquals(0, otherSeed.exitCode(), otherSeed::toString);
    CliRunner seeds =
        run(
            "merge",
            "--out",
            none.toString(),
            dir.resolve("s1").toString(),
            dir.resolve("seed6").toString(),
            dir.resolve("s3").toString());
    assertEquals(Main.BAD_INPUT, seeds.exitCode(), seeds::toString);
    assertTrue(seeds.err().contains("seed6") && seeds.err().contains("seed"), seeds::toString);
    assertFalse(Files.exists(none));
    CliRunner bad = run("run", suite.toString(), "--shard", "4/3", "--out", none.toString());
    assertEquals(Main.BAD_INPUT, bad.exitCode(), bad::toString);
    assertFalse(Files.exists(none));
  }

  private static boolean hasCsv(Path out) throws Exception {
    try (var s = Files.list(out)) {
      return s.anyMatch(p -> p.toString().endsWith(".csv"));
    }
  }

  private static void same(CaseResult a, CaseResult b) {
    String id = a.id();
    Metrics x = a.metrics();
    Metrics y = b.metrics();
    assertEquals(x.images(), y.images(), id);
    assertEquals(x.outcomes().base64(), y.outcomes().base64(), id);
    assertEquals(x.correct1(), y.correct1(), id);
    assertEquals(x.correct5(), y.correct5(), id);
    eq(id + " top1", x.top1(), y.top1());
    eq(id + " top5", x.top5(), y.top5());
    eq(id + " meanAbs", x.meanAbs(), y.meanAbs());
    eq(id + " meanL2", x.meanL2(), y.meanL2());
    eq(id + " meanLinf", x.meanLinf(), y.meanLinf());
    assertEquals(x.extra().keySet(), y.extra().keySet(), id);
    x.extra().forEach((k, v) -> eq(id + " " + k, v, y.extra().get(k)));
    // what the report's class tables and examples read comes through the merge too
    assertNotNull(x.predictions(), id + ": predictions recorded");
    assertEquals(x.predictions(), y.predictions(), id + " predictions");
    assertEquals(Metrics.MAX_EXAMPLES, x.examples().size(), id + ": examples recorded");
    assertEquals(x.examples(), y.examples(), id + " examples");
  }

  private static void eq(String what, double a, double b) {
    assertEquals(0, Double.compare(a, b), what + ": " + a + " vs " + b);
  }
}
