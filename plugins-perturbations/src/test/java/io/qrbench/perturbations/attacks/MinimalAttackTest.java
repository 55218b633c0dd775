package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import io.qrbench.testing.SimpleContext;
import io.qrbench.testing.TinyDataset;
import io.qrbench.testing.TinyLinearModel;
import org.junit.jupiter.api.Test;

class MinimalAttackTest {
  private static final ModelInput INPUT = new ModelInput(3, 8, 8, 3);
  private static final int N = 30;

  private static float[] linf(NDArray a, NDArray b) {
    return a.sub(b).abs().reshape(N, -1).max(new int[] {1}).toFloatArray();
  }

  @Test
  void everyFooledImageIsMisclassifiedWithinTheBudgetAndTheRestAreCounted() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data = new TinyDataset().open(new TinyDataset.Config(N), Split.TEST);
      NDArray[] xy = new Batches(data, N).load(bm, null, 0, N);
      boolean[] wrongAtStart =
          m.logits(xy[0]).argMax(1).toType(DataType.INT32, false).neq(xy[1]).toBooleanArray();

      for (int budget : new int[] {200, 2}) {
        SimpleContext ctx = new SimpleContext(xy[0], xy[1], 0, 5, m, bm);
        MinimalAttack.Config c = new MinimalAttack.Config(0.005, budget, 10);
        NDArray adv = new MinimalAttack().apply(c, ctx);
        float[] fooled = ctx.recorded().get("fooled");
        boolean[] wrong =
            m.logits(adv).argMax(1).toType(DataType.INT32, false).neq(xy[1]).toBooleanArray();
        float[] size = linf(adv, xy[0]);
        int count = 0;
        for (int i = 0; i < N; i++) {
          assertTrue(size[i] <= budget * 0.005 + 1e-6, "within the budget");
          if (fooled[i] == 1f) {
            count++;
            assertTrue(wrong[i], "image " + i + " is reported fooled, so it must be misclassified");
          } else {
            assertTrue(!wrong[i], "image " + i + " is reported not fooled");
          }
          if (wrongAtStart[i]) {
            assertEquals(0f, size[i], "an image misclassified already needs no perturbation");
          }
        }
        if (budget == 200) {
          assertEquals(N, count, "a linear model on [0,1] images is fooled within 1.0");
        } else {
          assertTrue(
              count < N,
              "a budget of 0.01 cannot fool every image: the rest are counted, not dropped");
        }
      }
    }
  }

  @Test
  void bisectionFindsASmallerPerturbationThanTheStepThatFooled() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data = new TinyDataset().open(new TinyDataset.Config(N), Split.TEST);
      NDArray[] xy = new Batches(data, N).load(bm, null, 0, N);
      NDArray coarse =
          new MinimalAttack()
              .apply(
                  new MinimalAttack.Config(0.05, 40, 0),
                  new SimpleContext(xy[0], xy[1], 0, 5, m, bm));
      NDArray fine =
          new MinimalAttack()
              .apply(
                  new MinimalAttack.Config(0.05, 40, 12),
                  new SimpleContext(xy[0], xy[1], 0, 5, m, bm));
      double c = 0;
      double f = 0;
      for (int i = 0; i < N; i++) {
        c += linf(coarse, xy[0])[i];
        f += linf(fine, xy[0])[i];
      }
      assertTrue(f < c, "bisection shrinks the mean perturbation: " + f / N + " vs " + c / N);
    }
  }
}
