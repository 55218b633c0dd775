package io.qrbench.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.LayerInfo.Role;
import io.qrbench.nn.Layers;
import io.qrbench.spi.ModelUnderTest.ObjectiveGradient;
import io.qrbench.testing.TinyDataset;
import org.junit.jupiter.api.Test;

/**
 * {@code fold-batchnorm}: the folded forward pass computes the model's function (logits and the
 * input gradient an attack follows) on a residual network with random BatchNorm statistics, full
 * precision and ternary; the model routes every pass through it until its weights may change.
 */
class FoldedForwardTest {

  private static NDArray images(NDManager m, int n, long seed) {
    return new Batches(new TinyDataset.Images(n, seed), n).load(m, null, 0, n)[0];
  }

  private static float maxAbs(float[] v) {
    float worst = 0;
    for (float f : v) {
      worst = Math.max(worst, Math.abs(f));
    }
    return worst;
  }

  private static float maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    float worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  /** Logits and the gradient of a margin-like objective, through whatever the model runs. */
  private static float[][] pass(LoadedModel m, NDArray x) {
    float[] logits = m.logits(x).toFloatArray();
    ObjectiveGradient g =
        m.objectiveGradient(
            x,
            (z, classes, dz) -> {
              double[] values = new double[z.length / classes];
              for (int i = 0; i < dz.length; i++) {
                dz[i] = (i % classes == 0 ? 1f : -0.5f) * (1 + i % 7) / 7f;
              }
              return values;
            });
    return new float[][] {logits, g.gradient().toFloatArray()};
  }

  private static void foldedComputesTheModel(boolean ternary) {
    try (LoadedModel m = OnnxExportTest.tinyResNet(ternary);
        NDManager bm = m.manager().newSubManager()) {
      NDArray x = images(bm, 16, 3);
      float[][] block = pass(m, x);
      FoldedForward f = FoldedForward.of(m, images(bm, 8, 5));
      assertTrue(f.checkedDifference() < 1e-4, "checked on its probe: " + f.checkedDifference());
      m.computeForwardWith(f);
      assertTrue(m.forwardReplaced());
      assertEquals("pytorch fp32, BatchNorm folded", m.backend());
      float[][] folded = pass(m, x);
      assertTrue(
          maxDiff(block[0], folded[0]) <= 1e-5 * Math.max(1, maxAbs(block[0])),
          "logits " + maxDiff(block[0], folded[0]));
      float scale = maxAbs(block[1]);
      assertTrue(scale > 0, "a gradient to compare");
      assertTrue(
          maxDiff(block[1], folded[1]) <= 1e-4 * scale,
          "input gradient " + maxDiff(block[1], folded[1]) + " of " + scale);
      m.cacheKernels(false);
      assertFalse(m.forwardReplaced(), "weights may change: the folded network is dropped");
      assertEquals("pytorch fp32", m.backend());
    }
  }

  @Test
  void theFoldedPassComputesTheModelsLogitsAndInputGradient() {
    foldedComputesTheModel(false);
  }

  @Test
  void aTernaryModelFoldsToTheSameFunction() {
    foldedComputesTheModel(true);
  }

  @Test
  void theModelRunsTheFoldedPassOnceGiven() {
    try (LoadedModel m = OnnxExportTest.tinyResNet(false);
        NDManager bm = m.manager().newSubManager()) {
      NDArray x = images(bm, 4, 9);
      float[] before = m.logits(x).toFloatArray();
      // a stand-in forward pass that is visibly not the block's: the model must call it
      ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(m.manager(), false);
      m.computeForwardWith(
          images ->
              m.block()
                  .forward(store, new ai.djl.ndarray.NDList(images), false)
                  .singletonOrThrow()
                  .mul(2));
      float[] after = m.logits(x).toFloatArray();
      for (int i = 0; i < before.length; i++) {
        assertEquals(2 * before[i], after[i], 1e-5 * Math.max(1, Math.abs(before[i])));
      }
      m.computeForwardWith(null);
      assertEquals(before[0], m.logits(x).toFloatArray()[0], 0f);
    }
  }

  @Test
  void aBlockTheWalkerDoesNotKnowIsRefusedWithTheFix() {
    Layers layers = Layers.plain();
    try (LoadedModel m =
            new LoadedModel(
                "flat",
                OnnxExportTest.INPUT,
                layers,
                manager ->
                    new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(layers.linear("fc", Role.OUTPUT, 3, true)));
        NDManager bm = m.manager().newSubManager()) {
      io.qrbench.ConfigException e =
          assertThrows(
              io.qrbench.ConfigException.class, () -> FoldedForward.of(m, images(bm, 2, 1)));
      assertTrue(e.getMessage().contains("model 'flat'"), e.getMessage());
      assertTrue(e.getMessage().contains("remove 'fold-batchnorm'"), e.getMessage());
      assertFalse(m.forwardReplaced());
    }
  }
}
