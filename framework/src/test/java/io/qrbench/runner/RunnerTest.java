package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.qrbench.ConfigException;
import io.qrbench.eval.CaseEvaluator;
import io.qrbench.eval.CraftedImages;
import io.qrbench.eval.CraftedImagesTest;
import io.qrbench.eval.ImageSeeds;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.ModelUnderTest.LossGradient;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.TinyDataset;
import io.qrbench.testing.TinyLinearModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {
  private static final ModelInput INPUT = new ModelInput(3, 8, 8, 3);

  @TempDir Path dir;

  private Suite suite(String perturbations, int batchSize) {
    String yaml =
        """
        name: runner-test
        seed: 11
        dataset: {id: tiny, size: 90}
        models:
          - {name: A, model: tiny-linear, train: {epochs: 3, batch-size: 16, learning-rate: 0.1}}
          - {name: B, model: tiny-linear, train: {epochs: 1, batch-size: 16, learning-rate: 0.1}}
        perturbations:
        %s
        batch-size: %d
        """
            .formatted(perturbations, batchSize);
    return new SuiteLoader(FakePlugins.registry()).parse("runner-test.yaml", yaml, dir);
  }

  private Suite suiteWithSpeed(String speed) {
    String yaml =
        """
        name: speed-test
        seed: 11
        dataset: {id: tiny, size: 20}
        models:
          - {name: A, model: tiny-linear, train: {epochs: 1, batch-size: 16}}
          - {name: B, model: {id: tiny-linear, hidden: 4}, train: {epochs: 1, batch-size: 16}}
        perturbations: [none]
        speed: %s
        """
            .formatted(speed);
    return new SuiteLoader(FakePlugins.registry()).parse("speed-test.yaml", yaml, dir);
  }

  private static Map<String, CaseResult> byId(RunResult r) {
    return r.cases().stream().collect(Collectors.toMap(CaseResult::id, Function.identity()));
  }

  /**
   * A provider that runs its own runtime (ONNX Runtime) gets the engine's intra-op threads, so that
   * its speeds compare with PyTorch's; every model of the run is recorded on PyTorch in float32.
   */
  @Test
  void providersGetTheEnginesThreadsAndModelsTheirBackend() {
    String key = "ai.djl.pytorch.num_threads";
    String before = System.getProperty(key);
    System.setProperty(key, "3"); // as the launcher sets it from QRBENCH_THREADS
    RunResult r;
    try {
      r =
          new Runner(new RunListener() {})
              .run(suite("  - none", 32), new Runner.Options(dir, false, false));
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
    assertEquals(3, TinyLinearModel.THREADS.get());
    assertEquals(
        List.of("pytorch fp32", "pytorch fp32"),
        r.models().stream().map(m -> m.backend()).toList());
  }

  @Test
  void trainsEvaluatesAndWritesResultsJson() {
    RunResult r =
        new Runner(new RunListener() {})
            .run(suite("  - none", 32), new Runner.Options(dir, false, false));
    assertEquals(RunStatus.COMPLETE, r.status());
    assertEquals(List.of("A/none", "B/none"), r.cases().stream().map(CaseResult::id).toList());
    assertTrue(
        r.cases().get(0).metrics().top1() > 80,
        "a trained linear model separates the tiny classes: " + r.cases().get(0).metrics());
    assertEquals(100.0, r.cases().get(0).metrics().top5(), "3 classes: top-k is top-3");
    assertEquals(90, r.cases().get(0).metrics().images());
    assertEquals(0.0, r.cases().get(0).metrics().meanAbs(), "clean images have no perturbation");
    assertEquals(3 * 64 * 3 + 3, r.models().get(0).parameters());
    RunResult onDisk = ResultsJson.read(dir.resolve(Runner.RESULTS_FILE));
    assertEquals(r, onDisk);
  }

  @Test
  void aFailingCaseIsRecordedAndTheRunGoesOn() {
    RunResult r =
        new Runner(new RunListener() {})
            .run(suite("  - explode\n  - none", 32), new Runner.Options(dir, false, false));
    Map<String, CaseResult> c = byId(r);
    assertEquals(RunStatus.FAILED, r.status());
    assertFalse(r.allPassed());
    assertEquals(CaseStatus.FAILED, c.get("A/explode").status());
    assertEquals("boom at image 0", c.get("A/explode").error());
    assertNull(c.get("A/explode").metrics());
    assertTrue(c.get("A/none").ok());
    assertTrue(c.get("B/none").ok());
  }

  @Test
  void everyModelSeesTheSameRandomDrawWhateverTheBatchSize() {
    RunResult small =
        new Runner(new RunListener() {})
            .run(
                suite("  - {id: salt-and-pepper, amount: 0.2}", 7),
                new Runner.Options(dir.resolve("a"), false, false));
    RunResult large =
        new Runner(new RunListener() {})
            .run(
                suite("  - {id: salt-and-pepper, amount: 0.2}", 64),
                new Runner.Options(dir.resolve("b"), false, false));
    var a7 = byId(small).get("A/salt-and-pepper").metrics();
    var b7 = byId(small).get("B/salt-and-pepper").metrics();
    var a64 = byId(large).get("A/salt-and-pepper").metrics();
    assertTrue(a7.meanAbs() > 0.05, "the noise changed the images");
    assertEquals(a7.meanAbs(), b7.meanAbs(), 1e-9, "models A and B saw identical images");
    assertEquals(a7.meanL2(), b7.meanL2(), 1e-9);
    assertEquals(a7.meanAbs(), a64.meanAbs(), 1e-6, "batch size plays no part in the draw");
    assertEquals(a7.outcomes(), a64.outcomes());
    double median = a7.extra().get(io.qrbench.result.Metrics.MEDIAN_L2);
    assertEquals(
        median,
        a64.extra().get(io.qrbench.result.Metrics.MEDIAN_L2),
        1e-6,
        "the median of all images, not of a batch");
    assertTrue(median > 0 && a7.extra().containsKey(io.qrbench.result.Metrics.MEDIAN_LINF));
  }

  @Test
  void differentSeedsGiveDifferentDraws() {
    Suite s = suite("  - {id: salt-and-pepper, amount: 0.2}", 32);
    RunResult one =
        new Runner(new RunListener() {}).run(s, new Runner.Options(dir.resolve("a"), false, false));
    RunResult two =
        new Runner(new RunListener() {})
            .run(s.withSeed(12), new Runner.Options(dir.resolve("b"), false, false));
    assertNotEquals(one.cases().get(0).metrics().meanAbs(), two.cases().get(0).metrics().meanAbs());
  }

  @Test
  void refusesToOverwriteOrToResumeAnotherSuite() {
    Suite s = suite("  - none", 32);
    new Runner(new RunListener() {}).run(s, new Runner.Options(dir, false, false));
    ConfigException exists =
        assertThrows(
            ConfigException.class,
            () -> new Runner(new RunListener() {}).run(s, new Runner.Options(dir, false, false)));
    assertTrue(exists.getMessage().contains("--resume"), exists.getMessage());
    ConfigException other =
        assertThrows(
            ConfigException.class,
            () ->
                new Runner(new RunListener() {})
                    .run(s.withSeed(99), new Runner.Options(dir, true, false)));
    assertTrue(
        other.getMessage().contains("different suite, seed, limit or weights"), other.getMessage());
  }

  @Test
  void aReformattedButEquivalentSuiteResumesWhileAChangedValueIsRefused() {
    String yaml =
        """
        name: resume-test
        seed: 11
        dataset: {id: tiny, size: 30}
        models:
          - {name: A, model: tiny-linear, train: {epochs: 1, batch-size: 16}}
        perturbations:
          - {id: salt-and-pepper, amount: [0.1, 0.2]}
        """;
    // the same suite bound: block style, other key order, a default spelled out, comments, another
    // name
    String reformatted =
        """
        # the same study, written out
        name: resume-test-renamed
        dataset:
          size: 30
          id: tiny
        seed: 11
        models:
          - name: A
            train:
              batch-size: 16
              epochs: 1
            model: {id: tiny-linear}
        perturbations:
          - id: salt-and-pepper
            salt-vs-pepper: 0.5   # the default
            amount:
              - 0.1
              - 0.2
        """;
    Path out = dir.resolve("out");
    RunResult first =
        new Runner(new RunListener() {})
            .run(
                new SuiteLoader(FakePlugins.registry()).parse("r.yaml", yaml, dir),
                new Runner.Options(out, false, false));
    assertEquals(2, first.cases().size());
    List<String> ran = new java.util.ArrayList<>();
    RunResult resumed =
        new Runner(
                new RunListener() {
                  @Override
                  public void caseFinished(CaseResult r) {
                    ran.add(r.id());
                  }
                })
            .run(
                new SuiteLoader(FakePlugins.registry()).parse("r.yaml", reformatted, dir),
                new Runner.Options(out, true, false));
    assertEquals(List.of(), ran, "every case is kept");
    assertEquals(first.cases(), resumed.cases());
    assertEquals(first.suite().fingerprint(), resumed.suite().fingerprint());

    ConfigException changed =
        assertThrows(
            ConfigException.class,
            () ->
                new Runner(new RunListener() {})
                    .run(
                        new SuiteLoader(FakePlugins.registry())
                            .parse(
                                "r.yaml",
                                reformatted.replace("salt-vs-pepper: 0.5", "salt-vs-pepper: 0.6"),
                                dir),
                        new Runner.Options(out, true, false)));
    assertTrue(changed.getMessage().contains("different suite"), changed.getMessage());
  }

  @Test
  void resumingAfterRetrainingOneModelRunsAgainOnlyWhatItsWeightsTouch() throws Exception {
    // weights for A and B: two models trained by a first run
    new Runner(new RunListener() {})
        .run(suite("  - none", 32), new Runner.Options(dir.resolve("train"), false, false));
    java.nio.file.Path w = java.nio.file.Files.createDirectories(dir.resolve("w"));
    for (String m : List.of("A", "B")) {
      java.nio.file.Files.copy(
          dir.resolve("train/models/" + m + ".params"), w.resolve(m + ".params"));
      java.nio.file.Files.copy(
          dir.resolve("train/models/" + m + ".params.json"), w.resolve(m + ".params.json"));
    }
    String yaml =
        """
        name: retrained
        seed: 11
        dataset: {id: tiny, size: 40}
        models:
          - {name: A, model: tiny-linear, weights: w/A.params}
          - {name: B, model: tiny-linear, weights: w/B.params}
          - {name: C, model: tiny-linear, weights: w/A.params}
        perturbations:
          - none
          - {id: gradient-sign, epsilon: 0.2, source: B}
        """;
    java.util.function.Supplier<Suite> load =
        () -> new SuiteLoader(FakePlugins.registry()).parse("r.yaml", yaml, dir);
    Path out = dir.resolve("out");
    RunResult first =
        new Runner(new RunListener() {}).run(load.get(), new Runner.Options(out, false, false));
    assertEquals(6, first.cases().size());
    assertEquals(
        Map.of(
            "A",
            first.suite().weights().get("A"),
            "B",
            first.suite().weights().get("B"),
            "C",
            first.suite().weights().get("A")),
        first.suite().weights());

    // B is retrained: replace its weights by A's
    java.nio.file.Files.copy(
        w.resolve("A.params"),
        w.resolve("B.params"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    List<String> ran = new java.util.ArrayList<>();
    List<String> said = new java.util.ArrayList<>();
    RunResult again =
        new Runner(
                new RunListener() {
                  @Override
                  public void caseFinished(CaseResult r) {
                    ran.add(r.id());
                  }

                  @Override
                  public void info(String message) {
                    said.add(message);
                  }
                })
            .run(load.get(), new Runner.Options(out, true, false));
    assertEquals(
        List.of("A/gradient-sign@B", "B/none", "B/gradient-sign@B", "C/gradient-sign@B"),
        ran,
        "B's cases and every case crafted on B run again; A's and C's clean cases are kept");
    assertTrue(said.stream().anyMatch(m -> m.contains("weights of B changed")), said.toString());
    Map<String, CaseResult> before = byId(first);
    Map<String, CaseResult> after = byId(again);
    assertEquals(before.get("A/none"), after.get("A/none"));
    assertEquals(before.get("C/none"), after.get("C/none"));
    assertEquals(
        after.get("A/none").metrics().outcomes(),
        after.get("B/none").metrics().outcomes(),
        "B now holds A's weights");
    assertNotEquals(
        before.get("A/gradient-sign@B").metrics().meanL2(),
        after.get("A/gradient-sign@B").metrics().meanL2(),
        "the images are crafted again on B's new weights");
    assertEquals(
        after.get("A/gradient-sign@B").metrics().outcomes(),
        after.get("C/gradient-sign@B").metrics().outcomes(),
        "A and C hold the same weights");
    assertEquals(again.suite().weights().get("A"), again.suite().weights().get("B"));
    assertEquals(again, ResultsJson.read(out.resolve(Runner.RESULTS_FILE)));

    // a comment, a description and a new check decide no number: nothing runs again, the check is
    // evaluated
    ran.clear();
    String annotated =
        "# the retrained study\n"
            + yaml.replace("name: retrained\n", "name: retrained\ndescription: B retrained\n")
            + "checks: [\"B.clean.top1 == A.clean.top1\"]\n";
    RunResult checked =
        new Runner(
                new RunListener() {
                  @Override
                  public void caseFinished(CaseResult r) {
                    ran.add(r.id());
                  }
                })
            .run(
                new SuiteLoader(FakePlugins.registry()).parse("r.yaml", annotated, dir),
                new Runner.Options(out, true, false));
    assertEquals(List.of(), ran);
    assertEquals(again.cases(), checked.cases());
    assertEquals(1, checked.checks().size());
    assertTrue(checked.checks().get(0).passed(), checked.checks().toString());

    // another suite text is still refused
    ConfigException other =
        assertThrows(
            ConfigException.class,
            () ->
                new Runner(new RunListener() {})
                    .run(
                        new SuiteLoader(FakePlugins.registry())
                            .parse("r.yaml", yaml.replace("size: 40", "size: 41"), dir),
                        new Runner.Options(out, true, false)));
    assertTrue(other.getMessage().contains("different suite"), other.getMessage());
  }

  @Test
  void objectiveGradientCarriesTheCallersLogitGradientBackToTheImages() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data =
          new TinyDataset().open(new TinyDataset.Config(6), io.qrbench.spi.Split.TEST);
      NDArray[] xy = new Batches(data, 6).load(bm, null, 0, 6);
      float[] seen = new float[18];
      // objective of image i: z_(i mod 3) - 2 z_((i + 1) mod 3), so its input gradient is w_a - 2
      // w_b
      ModelUnderTest.ObjectiveGradient og =
          m.objectiveGradient(
              xy[0],
              (z, classes, dz) -> {
                System.arraycopy(z, 0, seen, 0, z.length);
                double[] v = new double[z.length / classes];
                for (int i = 0; i < v.length; i++) {
                  int a = i % classes;
                  int b = (i + 1) % classes;
                  dz[i * classes + a] = 1;
                  dz[i * classes + b] = -2;
                  v[i] = z[i * classes + a] - 2.0 * z[i * classes + b];
                }
                return v;
              });
      assertArrayEquals(m.logits(xy[0]).toFloatArray(), og.logits().toFloatArray(), 1e-6f);
      assertArrayEquals(
          seen, og.logits().toFloatArray(), 0f, "the objective saw this pass's logits");
      float[] w = weight(m, "weight");
      float[] g = og.gradient().toFloatArray();
      int d = 192;
      for (int i = 0; i < 6; i++) {
        assertEquals(seen[i * 3 + i % 3] - 2.0 * seen[i * 3 + (i + 1) % 3], og.values()[i], 1e-9);
        for (int j = 0; j < d; j++) {
          assertEquals(
              w[(i % 3) * d + j] - 2 * w[((i + 1) % 3) * d + j],
              g[i * d + j],
              1e-6,
              "image " + i + ", pixel " + j);
        }
      }
    }
  }

  @Test
  void lossGradientMatchesTheClosedFormOfALinearModel() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data =
          new TinyDataset().open(new TinyDataset.Config(6), io.qrbench.spi.Split.TEST);
      NDArray[] xy = new Batches(data, 6).load(bm, null, 0, 6);
      LossGradient lg = m.lossGradient(xy[0], xy[1]);
      float[] w = weight(m, "weight");
      float[] b = weight(m, "bias");
      float[] x = xy[0].toFloatArray();
      int[] y = xy[1].toIntArray();
      float[] g = lg.gradient().toFloatArray();
      int d = 192;
      for (int i = 0; i < 6; i++) {
        double[] z = new double[3];
        for (int k = 0; k < 3; k++) {
          z[k] = b[k];
          for (int j = 0; j < d; j++) {
            z[k] += w[k * d + j] * x[i * d + j];
          }
        }
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          sum += Math.exp(z[k] - max);
        }
        double[] p = new double[3];
        for (int k = 0; k < 3; k++) {
          p[k] = Math.exp(z[k] - max) / sum;
        }
        assertEquals(-Math.log(p[y[i]]), lg.loss().getFloat(i), 1e-4, "loss of image " + i);
        for (int j = 0; j < d; j++) {
          double expected = 0;
          for (int k = 0; k < 3; k++) {
            expected += w[k * d + j] * (p[k] - (k == y[i] ? 1 : 0));
          }
          assertEquals(expected, g[i * d + j], 1e-5, "d loss / d x at image " + i + ", pixel " + j);
        }
      }
      for (Pair<String, Parameter> p : m.block().getParameters()) {
        assertFalse(
            p.getValue().getArray().hasGradient(), p.getKey() + " got a gradient from the attack");
      }
    }
  }

  @Test
  void batchesDoNotLeakArraysIntoTheModelsManager() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT)) {
      m.freeze(true);
      ImageDataset data =
          new TinyDataset().open(new TinyDataset.Config(500), io.qrbench.spi.Split.TEST);
      CaseEvaluator eval = new CaseEvaluator(data, 10, images -> {});
      int before = m.manager().getManagedArrays().size();
      eval.evaluate(
          m, new FakePlugins.GradientSign(), new FakePlugins.GradientSign.Config(0.05), 1L);
      eval.evaluate(m, new FakePlugins.Clean(), new EmptyConfig(), 2L);
      assertEquals(
          before,
          m.manager().getManagedArrays().size(),
          "100 batches with gradients left arrays behind in the model's manager");
    }
  }

  @Test
  void aForwardOrGradientPassLeavesOnlyItsResultsInTheBatch() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data =
          new TinyDataset().open(new TinyDataset.Config(8), io.qrbench.spi.Split.TEST);
      NDArray[] xy = new Batches(data, 8).load(bm, null, 0, 8);
      int before = bm.getManagedArrays().size();
      m.logits(xy[0]);
      assertEquals(
          before + 1, bm.getManagedArrays().size(), "a forward pass keeps its logits only");
      m.lossGradient(xy[0], xy[1]);
      assertEquals(
          before + 5,
          bm.getManagedArrays().size(),
          "a gradient pass keeps loss, logits, log-odds and direction only");
    }
  }

  @Test
  void gradientAttackLowersAccuracy() {
    RunResult r =
        new Runner(new RunListener() {})
            .run(
                suite("  - none\n  - {id: gradient-sign, epsilon: [0.05, 0.3]}", 32),
                new Runner.Options(dir, false, false));
    Map<String, CaseResult> c = byId(r);
    double clean = c.get("A/none").metrics().top1();
    double weak = c.get("A/gradient-sign[epsilon=0.05]").metrics().top1();
    double strong = c.get("A/gradient-sign[epsilon=0.3]").metrics().top1();
    assertTrue(clean >= weak && weak > strong, clean + " >= " + weak + " > " + strong);
    assertEquals(
        0.3,
        c.get("A/gradient-sign[epsilon=0.3]").metrics().meanLinf(),
        0.05,
        "L-inf of an FGSM step is epsilon (less where clipped)");
    assertEquals(
        0.3,
        c.get("A/gradient-sign[epsilon=0.3]").metrics().extra().get("median-linf"),
        1e-6,
        "every image has a pixel the step does not clip");
    assertFalse(
        c.get("A/none").metrics().extra().containsKey("median-l2"), "no size where nothing moved");
  }

  @Test
  void aTransferAttackCraftsOnTheSourceModelAndEvaluatesEveryModelOnThoseImages() {
    RunResult r =
        new Runner(new RunListener() {})
            .run(
                suite(
                    "  - {id: gradient-sign, epsilon: 0.2}\n  - {id: gradient-sign, epsilon: 0.2, source: A}",
                    32),
                new Runner.Options(dir, false, false));
    Map<String, CaseResult> c = byId(r);
    var fromAOnA = c.get("A/gradient-sign@A").metrics();
    var fromAOnB = c.get("B/gradient-sign@A").metrics();
    var whiteBoxB = c.get("B/gradient-sign").metrics();
    assertEquals(
        fromAOnA.meanAbs(), fromAOnB.meanAbs(), 1e-9, "B is evaluated on the images crafted on A");
    assertEquals(fromAOnA.meanL2(), fromAOnB.meanL2(), 1e-9);
    assertEquals(
        c.get("A/gradient-sign").metrics().outcomes(),
        fromAOnA.outcomes(),
        "on A itself it is white-box");
    assertNotEquals(whiteBoxB.meanL2(), fromAOnB.meanL2(), "B's own gradients give other images");
  }

  @Test
  void aTransferAttackCraftsEachBatchOnceForAllModels() throws Exception {
    Suite s = suite("  - {id: gradient-sign, epsilon: 0.2, source: A}", 32); // 90 images: 3 batches
    int before = FakePlugins.GradientSign.BATCHES.get();
    RunResult r = new Runner(new RunListener() {}).run(s, new Runner.Options(dir, false, false));
    assertEquals(
        3,
        FakePlugins.GradientSign.BATCHES.get() - before,
        "crafted on A once, evaluated on A and B");
    assertFalse(
        java.nio.file.Files.exists(dir.resolve(CraftedImages.FOLDER)),
        "the crafted images go when the run is done");

    // a replacing run starts from an empty store: plant a wrong batch where a stale run left one
    CraftedImages stale = CraftedImages.of(dir, "gradient-sign@A", "");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray zeros = m.zeros(new ai.djl.ndarray.types.Shape(32, 3, 8, 8));
      CraftedImagesTest.plant(stale, 0, zeros);
    }
    RunResult again = new Runner(new RunListener() {}).run(s, new Runner.Options(dir, false, true));
    assertEquals(
        byId(r).get("B/gradient-sign@A").metrics().outcomes(),
        byId(again).get("B/gradient-sign@A").metrics().outcomes());
    assertEquals(
        byId(r).get("B/gradient-sign@A").metrics().meanL2(),
        byId(again).get("B/gradient-sign@A").metrics().meanL2(),
        1e-9);
  }

  private static float[] weight(LoadedModel m, String suffix) {
    for (Pair<String, Parameter> p : m.block().getParameters()) {
      if (p.getKey().endsWith(suffix)) {
        return p.getValue().getArray().toFloatArray();
      }
    }
    throw new AssertionError("no parameter ending in " + suffix);
  }

  @Test
  void seedsDependOnLevelAndImageOnly() {
    long a = ImageSeeds.levelSeed(1, "gaussian", "var=0.01");
    assertEquals(a, ImageSeeds.levelSeed(1, "gaussian", "var=0.01"));
    assertNotEquals(a, ImageSeeds.levelSeed(1, "gaussian", "var=0.05"));
    assertNotEquals(a, ImageSeeds.levelSeed(2, "gaussian", "var=0.01"));
    assertNotEquals(ImageSeeds.imageSeed(a, 0), ImageSeeds.imageSeed(a, 1));
    assertArrayEquals(
        new long[] {ImageSeeds.imageSeed(a, 5)}, new long[] {ImageSeeds.imageSeed(a, 5)});
  }

  @Test
  void speedIsMeasuredPerModelAndBatchSizeAfterTheCases() {
    List<String> events = new java.util.ArrayList<>();
    RunListener listener =
        new RunListener() {
          @Override
          public void caseFinished(CaseResult r) {
            events.add("case " + r.id());
          }

          @Override
          public void speedMeasured(io.qrbench.result.SpeedResult r) {
            events.add("speed " + r.model() + " " + r.batchSize());
          }
        };
    RunResult r =
        new Runner(listener)
            .run(
                suiteWithSpeed("{batch-sizes: [1, 7, 32], warmup: 1, iterations: 4}"),
                new Runner.Options(dir, false, false));
    assertEquals(
        List.of(
            "case A/none",
            "speed A 1",
            "speed A 7",
            "speed A 32",
            "case B/none",
            "speed B 1",
            "speed B 7",
            "speed B 32"),
        events,
        "32 > 20 images: they are cycled");
    for (io.qrbench.result.SpeedResult s : r.speed()) {
      assertEquals(4, s.iterations());
      assertEquals(1, s.warmup());
      assertTrue(s.p50Ms() <= s.p90Ms() && s.p90Ms() <= s.p99Ms(), s.toString());
      assertEquals(s.batchSize() * 1000 / s.meanMs(), s.imagesPerSecond(), 1e-9);
      assertTrue(s.loadSeconds() >= 0, s.toString());
    }
    assertEquals(r.speed(), ResultsJson.read(dir.resolve(Runner.RESULTS_FILE)).speed());
    var cost = r.models().get(1).cost();
    assertEquals(3 * 64 * 4 + 4 * 3, cost.macs(), "dense 192->4, then 4->3");
    assertEquals(0.0, cost.lowBitMacShare(), "fp32 has no low-bit layers");
    assertEquals(4 * cost.parameters(), cost.fp32Bytes());
    assertEquals(cost.fp32Bytes(), cost.packedBytes(), "fp32 packs nothing");
  }

  @Test
  void resumingKeepsTheSpeedAlreadyMeasured() {
    Suite s = suiteWithSpeed("{batch-sizes: [2, 4], warmup: 0, iterations: 2}");
    RunResult first =
        new Runner(new RunListener() {}).run(s, new Runner.Options(dir, false, false));
    int[] measured = new int[1];
    RunResult again =
        new Runner(
                new RunListener() {
                  @Override
                  public void speedMeasured(io.qrbench.result.SpeedResult r) {
                    measured[0]++;
                  }
                })
            .run(s, new Runner.Options(dir, true, false));
    assertEquals(0, measured[0], "nothing left to measure");
    assertEquals(first.speed(), again.speed());
    assertEquals(4, again.speed().size());
  }

  @Test
  void speedStatisticsUseNearestRankPercentiles() {
    SpeedMeter m = new SpeedMeter(null, new io.qrbench.suite.SpeedSpec(List.of(10), 0, 4, null), 3);
    io.qrbench.result.SpeedResult r = m.result("x", 10, new double[] {4, 1, 3, 2}, 0.5);
    assertEquals(2.5, r.meanMs());
    assertEquals(Math.sqrt(5.0 / 3), r.stdMs(), 1e-12);
    assertEquals(2, r.p50Ms());
    assertEquals(4, r.p90Ms());
    assertEquals(4, r.p99Ms());
    assertEquals(4000, r.imagesPerSecond(), 1e-9);
    assertEquals(3, r.threads());
    assertEquals(0.5, r.loadSeconds());
    assertTrue(r.peakRssBytes() > 0 || !java.nio.file.Files.exists(Path.of("/proc/self/status")));
  }

  @Test
  void macsAreCountedWhenTheModelIsBuiltAndSurviveLoadingWeights() throws Exception {
    io.qrbench.nn.Layers layers = io.qrbench.nn.Layers.plain();
    try (LoadedModel m =
        new LoadedModel(
            "mlp",
            INPUT,
            layers,
            manager ->
                new TinyLinearModel()
                    .build(
                        new TinyLinearModel.Config(4),
                        new io.qrbench.spi.ModelContext(
                            INPUT, layers, manager, java.util.Optional.empty())))) {
      Map<String, Long> expected = Map.of("hidden", 3L * 8 * 8 * 4, "dense", 4L * 3);
      assertEquals(expected, m.macsPerImage());
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      m.block().saveParameters(new java.io.DataOutputStream(bytes));
      m.block()
          .loadParameters(
              m.manager(),
              new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
      // DJL's load replaces a dense layer's recorded input shape (192 and 4 MACs if counted now)
      assertEquals(expected, m.macsPerImage(), "loading weights changes nothing");
    }
  }

  @Test
  void aCaseFailureIsDescribedInWordsNotByItsJavaClass() {
    assertEquals(
        "weight 0 is not finite",
        Runner.describe(new IllegalArgumentException("weight 0 is not finite")));
    String bug = Runner.describe(new NullPointerException());
    assertTrue(bug.contains("NullPointerException") && bug.contains("a bug"), bug);
  }
}
