package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.Split;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.SimpleContext;
import io.qrbench.testing.TinyDataset;
import io.qrbench.testing.TinyLinearModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttacksTest {
  private static final ModelInput INPUT = new ModelInput(3, 8, 8, 3);

  @TempDir Path dir;

  /** A context on a real model: labels from the data, seeds from the image index. */
  private static SimpleContext context(LoadedModel m, NDManager bm, int count) {
    ImageDataset data = new TinyDataset().open(new TinyDataset.Config(count), Split.TEST);
    NDArray[] xy = new Batches(data, count).load(bm, null, 0, count);
    return new SimpleContext(xy[0], xy[1], 0, 17, m, bm);
  }

  @Test
  void fgsmIsExactlyTheSignStepOfTheClosedFormGradient() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      SimpleContext ctx = context(m, bm, 6);
      float eps = 0.05f;
      float[] out = new Fgsm().apply(new Fgsm.Config((double) eps), ctx).toFloatArray();
      float[] x = ctx.images().toFloatArray();
      int[] y = ctx.labels().toIntArray();
      float[] w = null;
      float[] b = null;
      for (Pair<String, Parameter> p : m.block().getParameters()) {
        if (p.getKey().endsWith("weight")) {
          w = p.getValue().getArray().toFloatArray();
        } else if (p.getKey().endsWith("bias")) {
          b = p.getValue().getArray().toFloatArray();
        }
      }
      int d = 192;
      int checked = 0;
      for (int i = 0; i < 6; i++) {
        double[] z = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
          z[k] = b[k];
          for (int j = 0; j < d; j++) {
            z[k] += w[k * d + j] * x[i * d + j];
          }
          max = Math.max(max, z[k]);
        }
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          sum += Math.exp(z[k] - max);
        }
        for (int j = 0; j < d; j++) {
          double g = 0;
          for (int k = 0; k < 3; k++) {
            g += w[k * d + j] * (Math.exp(z[k] - max) / sum - (k == y[i] ? 1 : 0));
          }
          if (Math.abs(g) < 1e-6) {
            continue; // the sign of a vanishing gradient is rounding noise
          }
          float expected = Math.min(1f, Math.max(0f, x[i * d + j] + (g > 0 ? eps : -eps)));
          assertEquals(expected, out[i * d + j], 0f, "image " + i + " pixel " + j);
          checked++;
        }
      }
      assertTrue(checked > 1000);
      for (Pair<String, Parameter> p : m.block().getParameters()) {
        assertFalse(
            p.getValue().getArray().hasGradient(),
            p.getKey() + " kept a gradient after the attack");
      }
    }
  }

  @Test
  void pgdStaysInItsBallAndRestartsNeverLowerAnImagesLoss() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      SimpleContext ctx = context(m, bm, 12);
      for (String norm : List.of("linf", "l2")) {
        float eps = norm.equals("linf") ? 0.03f : 0.5f;
        NDArray one = new Pgd().apply(new Pgd.Config(norm, (double) eps, null, 5, true, 1), ctx);
        NDArray three = new Pgd().apply(new Pgd.Config(norm, (double) eps, null, 5, true, 3), ctx);
        NDArray d = three.sub(ctx.images()).reshape(12, -1);
        float[] size =
            norm.equals("linf")
                ? d.abs().max(new int[] {1}).toFloatArray()
                : d.square().sum(new int[] {1}).sqrt().toFloatArray();
        for (float s : size) {
          assertTrue(s <= eps + 1e-5, norm + ": perturbation " + s + " outside the ball " + eps);
        }
        float[] l1 = m.lossGradient(one, ctx.labels()).loss().toFloatArray();
        float[] l3 = m.lossGradient(three, ctx.labels()).loss().toFloatArray();
        for (int i = 0; i < 12; i++) {
          assertTrue(
              l3[i] >= l1[i] - 1e-5,
              norm + ": best of 3 restarts has the highest loss, image " + i);
        }
      }
    }
  }

  @Test
  void onATrainedModelAccuracyFallsWithEpsilonAndPgdBeatsFgsm() {
    Map<PluginKind, List<Plugin<?>>> plugins =
        Map.of(
            PluginKind.MODEL, List.of(new TinyLinearModel()),
            PluginKind.DATASET, List.of(new TinyDataset()),
            PluginKind.QUANTIZER, List.of(new FakePlugins.Identity()),
            PluginKind.PERTURBATION,
                List.of(new FakePlugins.Clean(), new Fgsm(), new Bim(), new Pgd()),
            PluginKind.REPORT, List.of(new FakePlugins.NoReport()));
    String yaml =
        """
        name: attacks
        seed: 3
        dataset: {id: tiny, size: 120}
        models:
          - {name: m, model: {id: tiny-linear, hidden: 16}, train: {epochs: 4, batch-size: 16, learning-rate: 0.1}}
        perturbations:
          - none
          - {id: fgsm, epsilon: [0.0, 0.08, 0.12, 0.16, 0.25]}
          - {id: bim, epsilon: [0.08, 0.12, 0.16, 0.25], step: 0.03, steps: 10}
          - {id: pgd, epsilon: [0.08, 0.12, 0.16, 0.25], steps: 10}
          - {id: pgd, name: pgd-l2, norm: l2, epsilon: [0.25, 1.0], steps: 10}
        batch-size: 40
        """;
    RunResult r =
        new Runner(new RunListener() {})
            .run(
                new SuiteLoader(PluginRegistry.of(plugins)).parse("attacks.yaml", yaml, dir),
                new Runner.Options(dir.resolve("out"), false, false));
    Map<String, Metrics> c =
        r.cases().stream().collect(Collectors.toMap(CaseResult::id, CaseResult::metrics));
    double clean = c.get("m/none").top1();
    assertTrue(clean > 80, "trained: " + clean);
    assertEquals(
        clean,
        c.get("m/fgsm[epsilon=0.0]").top1(),
        0.0,
        "epsilon 0 is the clean accuracy, exactly");
    assertEquals(c.get("m/none").outcomes(), c.get("m/fgsm[epsilon=0.0]").outcomes());
    double[] eps = {0.08, 0.12, 0.16, 0.25};
    double prevFgsm = clean;
    double prevPgd = clean;
    for (double e : eps) {
      double fgsm = c.get("m/fgsm[epsilon=" + e + "]").top1();
      double pgd = c.get("m/pgd[epsilon=" + e + "]").top1();
      double bim = c.get("m/bim[epsilon=" + e + "]").top1();
      assertTrue(fgsm <= prevFgsm && pgd <= prevPgd, "accuracy does not rise with epsilon at " + e);
      assertTrue(
          pgd <= fgsm, "PGD at least as strong as FGSM at " + e + ": " + pgd + " vs " + fgsm);
      assertTrue(
          bim <= fgsm, "BIM at least as strong as FGSM at " + e + ": " + bim + " vs " + fgsm);
      assertEquals(
          e, c.get("m/pgd[epsilon=" + e + "]").meanLinf(), e * 0.05 + 1e-6, "PGD uses its budget");
      assertTrue(c.get("m/pgd[epsilon=" + e + "]").meanLinf() <= e + 1e-6);
      prevFgsm = fgsm;
      prevPgd = pgd;
    }
    assertTrue(c.get("m/pgd-l2[epsilon=1.0]").meanL2() <= 1.0 + 1e-5);
    assertTrue(c.get("m/pgd-l2[epsilon=1.0]").top1() <= c.get("m/pgd-l2[epsilon=0.25]").top1());
    assertTrue(
        c.get("m/pgd[epsilon=0.25]").top1() < clean / 2,
        "a strong attack breaks an undefended model");
    assertTrue(
        c.get("m/pgd[epsilon=0.16]").top1() < c.get("m/fgsm[epsilon=0.16]").top1(),
        "where FGSM leaves images correct, PGD finds more");
  }
}
