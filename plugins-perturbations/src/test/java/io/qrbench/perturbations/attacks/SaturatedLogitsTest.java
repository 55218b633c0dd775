package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.Layers;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.Split;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.SimpleContext;
import io.qrbench.testing.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on a model whose float32 softmax is one-hot ({@link ConfidentNet}): the loss attacks
 * ascend must not vanish there, and what they find must not depend on the summation order.
 */
class SaturatedLogitsTest {
  private static final ModelInput INPUT = new ModelInput(3, 8, 8, 3);
  private static final int N = 60;

  @TempDir Path dir;

  private static LoadedModel model(double scale) {
    Layers layers = Layers.plain();
    LoadedModel m =
        new LoadedModel(
            "confident",
            INPUT,
            layers,
            manager ->
                new ConfidentNet()
                    .build(
                        new ConfidentNet.Config(scale),
                        new ModelContext(INPUT, layers, manager, Optional.empty())));
    m.freeze(true);
    return m;
  }

  private static SimpleContext context(ModelUnderTest m, NDManager bm) {
    ImageDataset data = new TinyDataset().open(new TinyDataset.Config(N), Split.TEST);
    NDArray[] xy = new Batches(data, N).load(bm, null, 0, N);
    return new SimpleContext(xy[0], xy[1], 0, 23, m, bm);
  }

  /**
   * The gradient as qrbench took it before: log-softmax of the float32 logits, through autograd.
   */
  private static float[] float32Gradient(LoadedModel m, NDArray images, NDArray labels) {
    try (GradientCollector gc = images.getManager().getEngine().newGradientCollector()) {
      NDArray x = images.duplicate();
      x.setRequiresGradient(true);
      NDArray logits =
          m.block()
              .forward(new ParameterStore(m.manager(), false), new NDList(x), false)
              .singletonOrThrow();
      gc.backward(logits.logSoftmax(1).mul(labels.oneHot(INPUT.classes())).sum().neg());
      return x.getGradient().toFloatArray();
    }
  }

  private static float maxAbs(float[] v, int from, int to) {
    float max = 0;
    for (int j = from; j < to; j++) {
      max = Math.max(max, Math.abs(v[j]));
    }
    return max;
  }

  private static boolean[] correct(ModelUnderTest m, NDArray x, NDArray labels) {
    return m.logits(x)
        .argMax(1)
        .toType(DataType.INT32, false)
        .eq(labels.toType(DataType.INT32, false))
        .toBooleanArray();
  }

  private static int count(boolean[] b) {
    int n = 0;
    for (boolean v : b) {
      n += v ? 1 : 0;
    }
    return n;
  }

  @Test
  void theFloat32LossGradientVanishesOnConfidentImagesAndTheDirectionDoesNot() {
    try (LoadedModel m = model(1000);
        NDManager bm = m.manager().newSubManager()) {
      SimpleContext ctx = context(m, bm);
      assertTrue(
          count(correct(m, ctx.images(), ctx.labels())) >= N * 0.9,
          "the model is built to classify the data");
      float[] old = float32Gradient(m, ctx.images(), ctx.labels());
      ModelUnderTest.LossGradient lg = m.lossGradient(ctx.images(), ctx.labels());
      float[] dir = lg.direction().toFloatArray();
      double[] logOdds = lg.logOdds().toDoubleArray();
      int per = old.length / N;
      int vanished = 0;
      for (int i = 0; i < N; i++) {
        assertTrue(
            maxAbs(dir, i * per, (i + 1) * per) > 0,
            "image " + i + " has no direction to step along");
        assertTrue(Double.isFinite(logOdds[i]), "log-odds of image " + i + ": " + logOdds[i]);
        // below e^-104 the other classes' float32 probabilities are 0, and the softmax one-hot
        if (logOdds[i] < -110) {
          assertEquals(0f, maxAbs(old, i * per, (i + 1) * per), "float32 gradient of image " + i);
          vanished++;
        }
      }
      assertTrue(
          vanished >= N / 2,
          "the float32 cross-entropy's gradient is exactly zero for " + vanished + " of " + N);
    }
  }

  @Test
  void onAnUnsaturatedModelTheGradientIsTheCrossEntropysAndTheDirectionPointsItsWay() {
    try (LoadedModel m = model(3);
        NDManager bm = m.manager().newSubManager()) {
      SimpleContext ctx = context(m, bm);
      float[] old = float32Gradient(m, ctx.images(), ctx.labels());
      ModelUnderTest.LossGradient lg = m.lossGradient(ctx.images(), ctx.labels());
      float[] grad = lg.gradient().toFloatArray();
      float[] dir = lg.direction().toFloatArray();
      int per = old.length / N;
      int compared = 0;
      for (int i = 0; i < N; i++) {
        float max = maxAbs(old, i * per, (i + 1) * per);
        assertTrue(max > 0, "scale 3 leaves the softmax below one");
        for (int j = i * per; j < (i + 1) * per; j++) {
          assertEquals(
              old[j], grad[j], 1e-4 * max, "d loss / d x, image " + i + ", component " + j);
          if (Math.abs(old[j]) > 1e-4 * max) {
            assertEquals(
                Math.signum(old[j]),
                Math.signum(dir[j]),
                "direction of image " + i + ", component " + j);
            compared++;
          }
        }
      }
      assertTrue(compared > N * per / 2, "compared " + compared);
    }
  }

  @Test
  void fgsmMovesEveryConfidentImageByEpsilonAndFoolsMost() {
    try (LoadedModel m = model(1000);
        NDManager bm = m.manager().newSubManager()) {
      SimpleContext ctx = context(m, bm);
      int clean = count(correct(m, ctx.images(), ctx.labels()));
      NDArray adv = new Fgsm().apply(new Fgsm.Config(0.25), ctx);
      float[] linf = adv.sub(ctx.images()).abs().reshape(N, -1).max(new int[] {1}).toFloatArray();
      for (int i = 0; i < N; i++) {
        assertEquals(0.25f, linf[i], 1e-6f, "image " + i + " moved by");
      }
      int after = count(correct(m, adv, ctx.labels()));
      assertTrue(after < clean / 2, "FGSM at 0.25 left " + after + " of " + clean + " correct");
    }
  }

  /** The model with its direction changed as another summation order would change it. */
  private record Jittered(LoadedModel m) implements ModelUnderTest {
    @Override
    public String name() {
      return m.name();
    }

    @Override
    public int classes() {
      return m.classes();
    }

    @Override
    public NDArray logits(NDArray images) {
      return m.logits(images);
    }

    @Override
    public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
      return m.objectiveGradient(images, objective);
    }

    /**
     * Adds to each component a few ulps of itself and of its image's largest component, with seeded
     * signs: where the exact value is zero, one order of summation gives 0 and another +-2^-21 max.
     */
    @Override
    public LossGradient lossGradient(NDArray images, NDArray labels) {
      LossGradient lg = m.lossGradient(images, labels);
      float[] d = lg.direction().toFloatArray();
      int n = Math.toIntExact(images.getShape().get(0));
      int per = d.length / n;
      SplittableRandom r = new SplittableRandom(Float.floatToIntBits(d[0]));
      for (int i = 0; i < n; i++) {
        float max = maxAbs(d, i * per, (i + 1) * per);
        for (int j = i * per; j < (i + 1) * per; j++) {
          d[j] += (r.nextBoolean() ? 1 : -1) * (2 * Math.ulp(d[j]) + 4 * Math.ulp(max));
        }
      }
      return new LossGradient(
          lg.loss(), lg.logits(), lg.logOdds(), images.getManager().create(d, images.getShape()));
    }
  }

  @Test
  void roundingNoiseInTheGradientMovesNoPixel() {
    try (LoadedModel m = model(1000);
        NDManager bm = m.manager().newSubManager()) {
      Map<String, Perturbation<?>> attacks = new LinkedHashMap<>();
      Map<String, Record> configs = new LinkedHashMap<>();
      attacks.put("fgsm", new Fgsm());
      configs.put("fgsm", new Fgsm.Config(0.1));
      attacks.put("bim", new Bim());
      configs.put("bim", new Bim.Config(0.1, 0.02, 6));
      attacks.put("pgd", new Pgd());
      configs.put("pgd", new Pgd.Config("linf", 0.1, null, 6, true, 2));
      attacks.put("minimal", new MinimalAttack());
      configs.put("minimal", new MinimalAttack.Config(0.02, 16, 4));
      for (String a : attacks.keySet()) {
        float[] exact = apply(attacks.get(a), configs.get(a), context(m, bm)).toFloatArray();
        float[] noisy =
            apply(attacks.get(a), configs.get(a), context(new Jittered(m), bm)).toFloatArray();
        assertArrayEquals(exact, noisy, 0f, a + ": a last-bit change in the gradient moved pixels");
        float[] x = context(m, bm).images().toFloatArray();
        for (int j = 0;
            j < x.length && !a.equals("pgd");
            j++) { // PGD's random start moves every pixel
          int row = j / 8 % 8;
          int col = j % 8;
          if (row == 0 || row == 7 || col == 0 || col == 7) {
            assertEquals(x[j], exact[j], 0f, a + " moved a pixel the model ignores, at " + j);
          }
        }
      }
      // L2 steps are normalised: the noise changes them in their last bits only
      Pgd.Config l2 = new Pgd.Config("l2", 1.0, null, 6, true, 1);
      float[] exact = new Pgd().apply(l2, context(m, bm)).toFloatArray();
      float[] noisy = new Pgd().apply(l2, context(new Jittered(m), bm)).toFloatArray();
      assertArrayEquals(exact, noisy, 1e-5f, "pgd-l2");
      assertNotEquals(0, exact.length);
    }
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record> NDArray apply(
      Perturbation<C> p, Record config, SimpleContext ctx) {
    return p.apply((C) config, ctx);
  }

  /** Everything a case measured except how long it took. */
  private static Map<String, List<Object>> numbers(RunResult r) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (CaseResult c : r.cases()) {
      Metrics x = c.metrics();
      out.put(
          c.id(),
          List.of(
              c.status(),
              x.top1(),
              x.top5(),
              x.meanAbs(),
              x.meanL2(),
              x.meanLinf(),
              x.outcomes(),
              x.extra()));
    }
    return out;
  }

  private RunResult run(String name, int threads) throws Exception {
    Map<PluginKind, List<Plugin<?>>> plugins =
        Map.of(
            PluginKind.MODEL, List.of(new ConfidentNet()),
            PluginKind.DATASET, List.of(new TinyDataset()),
            PluginKind.QUANTIZER, List.of(new FakePlugins.Identity()),
            PluginKind.PERTURBATION,
                List.of(
                    new FakePlugins.Clean(),
                    new Fgsm(),
                    new Bim(),
                    new Pgd(),
                    new MinimalAttack(),
                    new Apgd(),
                    new AutoAttack()),
            PluginKind.REPORT, List.of(new FakePlugins.NoReport()));
    Files.writeString(dir.resolve("confident.bin"), "the model makes its own weights");
    String yaml =
        """
        name: saturated
        seed: 5
        dataset: {id: tiny, size: 90}
        models:
          - {name: m, model: {id: confident-net}, weights: confident.bin}
        perturbations:
          - none
          - {id: fgsm, epsilon: [0.1, 0.25]}
          - {id: bim, epsilon: 0.15, step: 0.03, steps: 8}
          - {id: pgd, epsilon: 0.15, steps: 8, restarts: 2}
          - {id: pgd, name: pgd-l2, norm: l2, epsilon: 1.5, steps: 8}
          - {id: minimal, step: 0.02, max-steps: 20, bisection: 5}
          - {id: apgd, epsilon: 0.15, steps: 8, restarts: 2}
          - {id: apgd, name: apgd-l2, norm: l2, epsilon: 1.5, steps: 8}
          - {id: autoattack, components: [apgd-ce], epsilon: 0.15}
        batch-size: 30
        """;
    int before = JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    try {
      assertEquals(threads, JniUtils.getNumThreads(), "PyTorch's intra-op threads");
      return new Runner(new RunListener() {})
          .run(
              new SuiteLoader(PluginRegistry.of(plugins)).parse("saturated.yaml", yaml, dir),
              new Runner.Options(dir.resolve(name), false, false));
    } finally {
      JniUtils.setNumThreads(before);
    }
  }

  @Test
  void attackCasesAreIdenticalAtOneAndTwoThreadsAndAcrossRuns() throws Exception {
    Map<String, List<Object>> one = numbers(run("one", 1));
    Map<String, List<Object>> again = numbers(run("again", 1));
    Map<String, List<Object>> two = numbers(run("two", 2));
    assertEquals(one, again, "two runs at one thread");
    assertEquals(one, two, "one thread against two");
    double clean = (double) one.get("m/none").get(1);
    assertTrue(clean > 90, "the model is built to classify the data: " + clean);
    for (String id :
        List.of(
            "m/fgsm[epsilon=0.25]",
            "m/bim",
            "m/pgd",
            "m/pgd-l2",
            "m/minimal",
            "m/apgd",
            "m/apgd-l2",
            "m/autoattack")) {
      assertEquals(io.qrbench.result.CaseStatus.OK, one.get(id).get(0), id);
      assertTrue(
          (double) one.get(id).get(1) < clean / 2,
          id + " fooled the confident model: " + one.get(id));
    }
  }
}
