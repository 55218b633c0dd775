package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.qrbench.ConfigException;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.ShardInfo.UnitRef;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.TinyDataset;
import io.qrbench.testing.TinyLinearModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards of a run and their merge: the merged numbers equal a whole run's, bit for bit. */
class ShardTest {
  @TempDir Path dir;

  /**
   * {@code costly}: adds seeded per-image noise and records a per-image value, costing {@code
   * passes} forward passes per image by its own estimate.
   */
  static final class Costly implements Perturbation<Costly.Config> {
    record Config(Double passes) {
      Config {
        passes = passes == null ? 1.0 : passes;
      }
    }

    @Override
    public String id() {
      return "costly";
    }

    @Override
    public String description() {
      return "test attack with a given cost";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public double passesPerImage(Config config) {
      return config.passes();
    }

    /** Batches perturbed so far, by every instance. */
    static final java.util.concurrent.atomic.AtomicInteger APPLIED =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public NDArray apply(Config config, PerturbationContext ctx) {
      APPLIED.incrementAndGet();
      NDArray x = ctx.images();
      int n = ctx.batchSize();
      int per = Math.toIntExact(x.getShape().size() / n);
      float[] v = x.toFloatArray();
      float[] score = new float[n];
      for (int i = 0; i < n; i++) {
        java.util.SplittableRandom r = ctx.random(i);
        score[i] = (float) r.nextDouble();
        for (int j = i * per; j < (i + 1) * per; j++) {
          v[j] = (float) Math.min(1, Math.max(0, v[j] + 0.3 * (r.nextDouble() - 0.5)));
        }
      }
      ctx.record("fooled", score);
      return ctx.manager().create(v, x.getShape());
    }
  }

  private static PluginRegistry registry() {
    PluginRegistry fakes = FakePlugins.registry();
    List<Plugin<?>> perturbations = new ArrayList<>();
    for (String id : fakes.ids(PluginKind.PERTURBATION)) {
      perturbations.add(fakes.get(PluginKind.PERTURBATION, id));
    }
    perturbations.add(new Costly());
    return PluginRegistry.of(
        Map.<PluginKind, List<Plugin<?>>>of(
            PluginKind.MODEL, List.of(new TinyLinearModel()),
            PluginKind.DATASET, List.of(new TinyDataset()),
            PluginKind.QUANTIZER,
                List.of(new FakePlugins.Identity(), new FakePlugins.SignQuantizer()),
            PluginKind.PERTURBATION, perturbations,
            PluginKind.REPORT, List.of(new FakePlugins.NoReport())));
  }

  private Suite suite(String perturbations, int images, int batch) {
    String yaml =
        """
        name: shard-test
        seed: 7
        dataset: {id: tiny, size: %d}
        models:
          - {name: A, model: tiny-linear, train: {epochs: 2, batch-size: 16, learning-rate: 0.1}}
          - {name: B, model: tiny-linear, train: {epochs: 1, batch-size: 16, learning-rate: 0.1}}
        perturbations:
        %s
        batch-size: %d
        """
            .formatted(images, perturbations, batch);
    return new SuiteLoader(registry()).parse("shard-test.yaml", yaml, dir);
  }

  private static final String MIXED =
      """
          - none
          - {id: salt-and-pepper, amount: 0.1}
          - {id: gradient-sign, epsilon: 0.1}
          - {id: costly, passes: 20}
          - {id: gradient-sign, name: transfer, epsilon: 0.2, source: B}
      """;

  private RunResult shard(Suite s, int k, int n) {
    return new Runner(new RunListener() {})
        .run(s, new Runner.Options(dir.resolve("s" + k), false, false, new Runner.Shard(k, n)));
  }

  private RunResult merge(Path out, Path... shards) {
    return ShardMerge.merge(List.of(shards), out, new SuiteLoader(registry()), m -> {});
  }

  @Test
  void threeShardsMergeToTheWholeRunsNumbersBitForBit() {
    Suite s = suite(MIXED, 100, 16);
    RunResult whole =
        new Runner(new RunListener() {})
            .run(s, new Runner.Options(dir.resolve("whole"), false, false));
    assertTrue(whole.allPassed());
    for (int k = 1; k <= 3; k++) {
      RunResult r = shard(s, k, 3);
      assertEquals(RunStatus.COMPLETE, r.status());
      assertTrue(r.cases().isEmpty(), "a shard keeps its parts in 'shard', not as cases");
      assertFalse(r.shard().units().isEmpty());
    }
    // the attacks were cut into ranges: several units of one case
    long ranges =
        ShardPlan.of(s, 100, 3).units().stream().filter(u -> u.caseId().equals("A/costly")).count();
    assertTrue(ranges > 1, "costly case split into " + ranges + " range(s)");
    RunResult merged =
        merge(dir.resolve("merged"), dir.resolve("s3"), dir.resolve("s1"), dir.resolve("s2"));
    assertEquals(RunStatus.COMPLETE, merged.status());
    assertEquals(
        whole.cases().stream().map(CaseResult::id).toList(),
        merged.cases().stream().map(CaseResult::id).toList());
    for (int i = 0; i < whole.cases().size(); i++) {
      assertSameNumbers(whole.cases().get(i), merged.cases().get(i));
    }
    assertEquals(
        whole.models().stream().map(m -> m.name()).toList(),
        merged.models().stream().map(m -> m.name()).toList());
    // what was written reads back to the same
    RunResult read = ResultsJson.read(dir.resolve("merged/results.json"));
    for (int i = 0; i < whole.cases().size(); i++) {
      assertSameNumbers(whole.cases().get(i), read.cases().get(i));
    }
    assertTrue(whole.cases().stream().anyMatch(c -> c.metrics().extra().containsKey("fooled")));
  }

  /**
   * Chains are cases like others: their stages shard into ranges and merge to the whole run's
   * numbers, and a stage seeded as the whole chain equals the chain of its prefix run on its own
   * under the same name.
   */
  @Test
  void chainStagesShardAndMergeLikeOtherCases() {
    String staged =
        "    - {id: chain, name: noisy, stages: true, of: [{id: salt-and-pepper, amount: 0.2},"
            + " {id: gradient-sign, epsilon: 0.1}]}\n";
    Suite s = suite(staged, 64, 16);
    RunResult whole =
        new Runner(new RunListener() {})
            .run(s, new Runner.Options(dir.resolve("whole"), false, false));
    assertEquals(
        List.of("A/noisy[steps=1]", "A/noisy[steps=2]", "B/noisy[steps=1]", "B/noisy[steps=2]"),
        whole.cases().stream().map(CaseResult::id).filter(id -> id.contains("noisy")).toList());
    for (int k = 1; k <= 2; k++) {
      assertEquals(RunStatus.COMPLETE, shard(s, k, 2).status());
    }
    RunResult merged = merge(dir.resolve("merged"), dir.resolve("s1"), dir.resolve("s2"));
    for (int i = 0; i < whole.cases().size(); i++) {
      assertSameNumbers(whole.cases().get(i), merged.cases().get(i));
    }
    // the first stage is the one-step chain of the same name: same seeds, same images
    Suite prefix =
        suite("    - {id: chain, name: noisy, of: [{id: salt-and-pepper, amount: 0.2}]}\n", 64, 16);
    RunResult one =
        new Runner(new RunListener() {})
            .run(prefix, new Runner.Options(dir.resolve("prefix"), false, false));
    CaseResult stage1 =
        whole.cases().stream().filter(c -> c.id().equals("A/noisy[steps=1]")).findFirst().get();
    CaseResult alone = one.cases().stream().filter(c -> c.id().equals("A/noisy")).findFirst().get();
    assertEquals(stage1.metrics().meanAbs(), alone.metrics().meanAbs());
    assertEquals(stage1.metrics().correct1(), alone.metrics().correct1());
    assertTrue(stage1.metrics().meanAbs() > 0);
  }

  static void assertSameNumbers(CaseResult a, CaseResult b) {
    String id = a.id();
    assertEquals(a.id(), b.id());
    assertEquals(a.status(), b.status(), id);
    assertEquals(a.params(), b.params(), id);
    assertEquals(a.level(), b.level(), id);
    Metrics x = a.metrics();
    Metrics y = b.metrics();
    assertEquals(x.images(), y.images(), id);
    assertEquals(x.correct1(), y.correct1(), id);
    assertEquals(x.correct5(), y.correct5(), id);
    assertEquals(x.outcomes().base64(), y.outcomes().base64(), id);
    same(id + " top1", x.top1(), y.top1());
    same(id + " top5", x.top5(), y.top5());
    same(id + " meanAbs", x.meanAbs(), y.meanAbs());
    same(id + " meanAbs255", x.meanAbs255(), y.meanAbs255());
    same(id + " meanL2", x.meanL2(), y.meanL2());
    same(id + " meanLinf", x.meanLinf(), y.meanLinf());
    assertEquals(x.extra().keySet(), y.extra().keySet(), id);
    x.extra().forEach((k, v) -> same(id + " " + k, v, y.extra().get(k)));
  }

  private static void same(String what, double a, double b) {
    assertEquals(0, Double.compare(a, b), what + ": " + a + " vs " + b);
  }

  @Test
  void theSplitIsDeterministicBatchAlignedAndCoversEveryImageOnce() {
    Suite s = suite(MIXED, 100, 16);
    ShardPlan p = ShardPlan.of(s, 100, 3);
    assertEquals(p, ShardPlan.of(s, 100, 3));
    Map<String, int[]> covered = new HashMap<>();
    for (UnitRef u : p.units()) {
      assertTrue(u.shard() >= 1 && u.shard() <= 3, u.toString());
      assertEquals(0, u.from() % 16, u.toString());
      assertTrue(u.to() % 16 == 0 || u.to() == 100, u.toString());
      int[] c = covered.computeIfAbsent(u.caseId(), k -> new int[100]);
      for (int i = u.from(); i < u.to(); i++) {
        c[i]++;
      }
    }
    assertEquals(CasePlan.of(s).size(), covered.size());
    covered.forEach(
        (id, c) -> {
          for (int i = 0; i < 100; i++) {
            assertEquals(1, c[i], id + " image " + i);
          }
        });
    // one shard: every case whole
    assertEquals(CasePlan.of(s).size(), ShardPlan.of(s, 100, 1).units().size());
  }

  @Test
  void everyModelsCaseOfOneTransferAttackGoesRangeByRangeToTheSameShard() {
    Suite s =
        suite(
            """
                - none
                - {id: costly, passes: 20}
                - {id: costly, name: transfer, passes: 40, source: B}
            """,
            100,
            16);
    for (int n : new int[] {2, 3, 5}) {
      ShardPlan p = ShardPlan.of(s, 100, n);
      Map<String, Integer> shardOfRange = new HashMap<>();
      int transferUnits = 0;
      for (UnitRef u : p.units()) {
        if (u.caseId().endsWith("/transfer")) {
          transferUnits++;
          Integer before = shardOfRange.putIfAbsent(u.from() + "-" + u.to(), u.shard());
          assertTrue(before == null || before == u.shard(), n + " shards: " + u + " vs " + before);
        }
      }
      assertTrue(shardOfRange.size() > 1, n + " shards: the transfer attack is cut into ranges");
      assertTrue(
          new java.util.HashSet<>(shardOfRange.values()).size() > 1,
          n + " shards: its ranges are spread");
      // A's and B's cases cut the same way: each range once per model
      assertEquals(2 * shardOfRange.size(), transferUnits, n + " shards");
      // units listed in case order then image order, as a whole run goes
      List<String> order = CasePlan.of(s).stream().map(CasePlan::id).toList();
      for (int i = 1; i < p.units().size(); i++) {
        UnitRef a = p.units().get(i - 1);
        UnitRef b = p.units().get(i);
        int ca = order.indexOf(a.caseId());
        int cb = order.indexOf(b.caseId());
        assertTrue(ca < cb || (ca == cb && a.to() <= b.from()), a + " before " + b);
      }
    }
  }

  @Test
  void aShardPlansItsOwnUnitsForTheProgressLineNotTheWholeSuite() {
    Suite s = suite(MIXED, 100, 16);
    ShardPlan plan = ShardPlan.of(s, 100, 3);
    List<UnitRef> mine = plan.of(2);
    List<RunListener.PlannedCase> planned = new ArrayList<>();
    new Runner(
            new RunListener() {
              @Override
              public void runPlanned(List<PlannedCase> pending, int finished) {
                planned.addAll(pending);
                assertEquals(0, finished);
              }
            })
        .run(s, new Runner.Options(dir.resolve("s2"), false, false, new Runner.Shard(2, 3)));
    assertEquals(
        mine.stream().map(UnitRef::caseId).toList(), planned.stream().map(p -> p.id()).toList());
    assertEquals(
        mine.stream().map(u -> u.to() - u.from()).toList(),
        planned.stream().map(p -> p.images()).toList());
    assertTrue(planned.size() < CasePlan.of(s).size(), "a share of the suite");
  }

  /** Thrown by a listener to stop a run as a kill would: nothing catches it. */
  static final class Killed extends Error {
    Killed() {
      super("killed");
    }
  }

  @Test
  void anInterruptedCostlyCaseGoesOnFromItsFirstBatchNotDoneAndEndsWithTheSameNumbers()
      throws java.io.IOException {
    // passes 20: a costly case, run batch by batch with each batch kept as it finishes
    String one = "- {id: costly, passes: 20}";
    Suite s = suite(one, 100, 16);
    RunResult whole =
        new Runner(new RunListener() {})
            .run(s, new Runner.Options(dir.resolve("whole"), false, false));
    Path out = dir.resolve("interrupted");
    int[] batches = {0};
    RunListener killer =
        new RunListener() {
          String current = "";

          @Override
          public void caseStarted(String caseId, int images) {
            current = caseId;
          }

          @Override
          public void imagesDone(int images) {
            if (current.equals("B/costly") && ++batches[0] == 3) {
              throw new Killed();
            }
          }
        };
    assertThrows(
        Killed.class, () -> new Runner(killer).run(s, new Runner.Options(out, false, false)));
    assertTrue(
        Files.exists(CaseRunner.partsDir(out, "B/costly")),
        "B's first batches were kept as they finished");
    try (java.util.stream.Stream<Path> kept = Files.list(CaseRunner.partsDir(out, "B/costly"))) {
      assertEquals(
          List.of("0.json", "16.json"),
          kept.map(f -> f.getFileName().toString()).sorted().toList(),
          "a file per finished batch");
    }
    Costly.APPLIED.set(0);
    List<String> said = new ArrayList<>();
    RunResult resumed =
        new Runner(
                new RunListener() {
                  @Override
                  public void info(String message) {
                    said.add(message);
                  }
                })
            .run(s, new Runner.Options(out, true, false));
    // A/costly was finished and kept whole; B/costly was killed in its 3rd batch of 7, so its
    // first 2 were kept
    assertEquals(5, Costly.APPLIED.get(), "only B's batches not done ran again");
    assertTrue(
        said.stream().anyMatch(m -> m.contains("B/costly: 32 of 100 images kept")),
        said.toString());
    assertFalse(
        Files.exists(CaseRunner.partsDir(out, "B/costly")), "parts go once the case is done");
    for (int i = 0; i < whole.cases().size(); i++) {
      assertSameNumbers(whole.cases().get(i), resumed.cases().get(i));
    }
  }

  @Test
  void aCostlyCaseRunBatchByBatchEqualsOnePassOverItsImages() {
    // the same perturbation and seed: passes 5 is evaluated in one pass, passes 20 batch by batch
    RunResult onePass =
        new Runner(new RunListener() {})
            .run(
                suite("- {id: costly, passes: 5}", 100, 16),
                new Runner.Options(dir.resolve("one"), false, false));
    RunResult byBatch =
        new Runner(new RunListener() {})
            .run(
                suite("- {id: costly, passes: 20}", 100, 16),
                new Runner.Options(dir.resolve("steps"), false, false));
    for (int i = 0; i < onePass.cases().size(); i++) {
      CaseResult a = onePass.cases().get(i);
      CaseResult b = byBatch.cases().get(i);
      assertEquals(a.id(), b.id());
      Metrics x = a.metrics();
      Metrics y = b.metrics();
      assertEquals(x.outcomes().base64(), y.outcomes().base64(), a.id());
      same(a.id() + " top1", x.top1(), y.top1());
      same(a.id() + " meanAbs", x.meanAbs(), y.meanAbs());
      same(a.id() + " meanL2", x.meanL2(), y.meanL2());
      same(a.id() + " meanLinf", x.meanLinf(), y.meanLinf());
      assertEquals(x.extra().keySet(), y.extra().keySet(), a.id());
      x.extra().forEach((k, v) -> same(a.id() + " " + k, v, y.extra().get(k)));
    }
  }

  @Test
  void aFewExpensiveAttacksAreSpreadEvenly() {
    Suite s =
        suite(
            """
                - none
                - {id: salt-and-pepper, amount: [0.05, 0.1, 0.2]}
                - {id: costly, name: pgd, passes: 200}
                - {id: costly, name: square, passes: 120}
                - {id: costly, name: fgsm, passes: 4}
            """,
            10000,
            128);
    for (int n : new int[] {2, 3, 4, 7, 10}) {
      ShardPlan p = ShardPlan.of(s, 10000, n);
      double[] load = new double[n];
      for (UnitRef u : p.units()) {
        load[u.shard() - 1] += ShardPlan.cost(s, 10000, u);
      }
      double mean = java.util.Arrays.stream(load).sum() / n;
      double max = java.util.Arrays.stream(load).max().orElseThrow();
      assertTrue(max <= 1.2 * mean, n + " shards: max " + max + " vs mean " + mean);
    }
  }

  @Test
  void eachModelsSpeedIsMeasuredByOneShardAndMerged() {
    String yaml =
        """
        name: shard-speed
        seed: 7
        dataset: {id: tiny, size: 20}
        models:
          - {name: A, model: tiny-linear, train: {epochs: 1, batch-size: 16}}
          - {name: B, model: {id: tiny-linear, hidden: 4}, train: {epochs: 1, batch-size: 16}}
        perturbations: [none]
        speed: {batch-sizes: [1, 4], warmup: 1, iterations: 3}
        """;
    Suite s = new SuiteLoader(registry()).parse("shard-speed.yaml", yaml, dir);
    RunResult one = shard(s, 1, 2);
    RunResult two = shard(s, 2, 2);
    List<String> timed = new ArrayList<>();
    for (RunResult r : List.of(one, two)) {
      r.speed().forEach(x -> timed.add(x.model() + "/" + x.batchSize()));
    }
    timed.sort(String::compareTo);
    assertEquals(List.of("A/1", "A/4", "B/1", "B/4"), timed, "each model timed once, by one shard");
    RunResult merged = merge(dir.resolve("m"), dir.resolve("s1"), dir.resolve("s2"));
    assertEquals(
        List.of("A/1", "A/4", "B/1", "B/4"),
        merged.speed().stream().map(x -> x.model() + "/" + x.batchSize()).toList());
    assertEquals(2, merged.cases().size());
  }

  @Test
  void aShardResumesKeepingItsFinishedUnits() {
    Suite s = suite("  - {id: salt-and-pepper, amount: 0.1}\n  - {id: costly, passes: 5}", 64, 16);
    RunResult first = shard(s, 2, 2);
    int units = first.shard().units().size();
    List<String> ran = new ArrayList<>();
    RunResult again =
        new Runner(
                new RunListener() {
                  @Override
                  public void caseStarted(String id, int images) {
                    ran.add(id);
                  }
                })
            .run(s, new Runner.Options(dir.resolve("s2"), true, false, new Runner.Shard(2, 2)));
    assertEquals(List.of(), ran);
    assertEquals(units, again.shard().units().size());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                new Runner(new RunListener() {})
                    .run(
                        s,
                        new Runner.Options(
                            dir.resolve("s2"), true, false, new Runner.Shard(1, 2))));
    assertTrue(e.getMessage().contains("shard 2/2"), e.getMessage());
  }

  @Test
  void mergeRefusesShardsThatDoNotMakeOneRun() throws Exception {
    Suite s = suite("  - none\n  - {id: costly, passes: 5}", 48, 16);
    shard(s, 1, 2);
    shard(s, 2, 2);
    Path out = dir.resolve("out");

    refused(out, "shard 2/2 missing", dir.resolve("s1"));
    refused(out, "again", dir.resolve("s1"), dir.resolve("s1"), dir.resolve("s2"));

    Path other = dir.resolve("seed");
    new Runner(new RunListener() {})
        .run(s.withSeed(8), new Runner.Options(other, false, false, new Runner.Shard(2, 2)));
    refused(out, "seed", dir.resolve("s1"), other);

    Path limited = dir.resolve("limit");
    new Runner(new RunListener() {})
        .run(s.withLimit(32), new Runner.Options(limited, false, false, new Runner.Shard(2, 2)));
    refused(out, "image limit", dir.resolve("s1"), limited);

    Path otherSuite = dir.resolve("suite");
    new Runner(new RunListener() {})
        .run(
            suite("  - none\n  - {id: costly, passes: 6}", 48, 16),
            new Runner.Options(otherSuite, false, false, new Runner.Shard(2, 2)));
    refused(out, "fingerprint", dir.resolve("s1"), otherSuite);

    Path version = copy("s2", "version");
    edit(version, "\"version\" : \"", "\"version\" : \"0.0.0-other");
    refused(out, "qrbench version", dir.resolve("s1"), version);

    Path running = copy("s2", "running");
    edit(running, "\"status\" : \"complete\"", "\"status\" : \"running\"");
    refused(out, "still running", dir.resolve("s1"), running);

    Path failed = copy("s2", "failed");
    edit(failed, "\"status\" : \"complete\"", "\"status\" : \"failed\"");
    refused(out, "failed", dir.resolve("s1"), failed);

    Path locked = copy("s2", "locked");
    Files.writeString(locked.resolve(".qrbench.lock"), "pid=1\nhost=h\ncommand=qrbench run\n");
    refused(out, "still writing", dir.resolve("s1"), locked);

    // and the shards as they are merge
    assertNotNull(merge(out, dir.resolve("s1"), dir.resolve("s2")));
    assertTrue(Files.exists(out.resolve("results.json")));
  }

  private void refused(Path out, String says, Path... shards) {
    ConfigException e = assertThrows(ConfigException.class, () -> merge(out, shards));
    assertTrue(e.getMessage().contains(says), e.getMessage());
    assertFalse(Files.exists(out), "nothing written: " + e.getMessage());
  }

  private Path copy(String from, String to) throws Exception {
    Path d = Files.createDirectories(dir.resolve(to));
    Files.copy(dir.resolve(from).resolve("results.json"), d.resolve("results.json"));
    return d;
  }

  private static void edit(Path d, String from, String to) throws Exception {
    Path f = d.resolve("results.json");
    String s = Files.readString(f);
    assertTrue(s.contains(from), from);
    Files.writeString(f, s.replaceFirst(java.util.regex.Pattern.quote(from), to));
  }
}
