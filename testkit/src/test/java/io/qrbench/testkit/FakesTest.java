package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.ModelUnderTest;
import org.junit.jupiter.api.Test;

/** The fakes against independent answers: finite differences, softmax by hand, seeds by index. */
class FakesTest {
  private static final Shape IMAGE = new Shape(3, 4, 4);
  private static final int CLASSES = 5;

  @Test
  void anImagesSeedDependsOnItsIndexAndTheRunSeedOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      FakePerturbationContext a =
          new FakePerturbationContext(
              TestImages.batch(m, IMAGE, 0, 1, 2),
              TestImages.labels(m, CLASSES, 0, 1, 2),
              10,
              99,
              null);
      FakePerturbationContext b =
          new FakePerturbationContext(
              TestImages.batch(m, IMAGE, 7), TestImages.labels(m, CLASSES, 7), 12, 99, null);
      assertEquals(a.seed(2), b.seed(0), "dataset index 12, in two batches");
      assertNotEquals(a.seed(0), a.seed(1), "neighbours");
      assertNotEquals(
          a.seed(2),
          new FakePerturbationContext(b.images(), b.labels(), 12, 100, null).seed(0),
          "another run seed");
      assertEquals(a.random(1).nextLong(), new java.util.SplittableRandom(a.seed(1)).nextLong());
      assertThrows(IndexOutOfBoundsException.class, () -> a.seed(3));
      IllegalStateException e = assertThrows(IllegalStateException.class, a::model);
      assertTrue(e.getMessage().contains("no model"), e.getMessage());
    }
  }

  @Test
  void aMetricIsRecordedOncePerBatchWithOneValuePerImage() {
    try (NDManager m = NDManager.newBaseManager()) {
      FakePerturbationContext c =
          new FakePerturbationContext(
              TestImages.batch(m, IMAGE, 0, 1), TestImages.labels(m, CLASSES, 0, 1), 0, 1, null);
      float[] v = {1, 0};
      c.record("fooled", v);
      v[0] = 5;
      assertArrayEquals(new float[] {1, 0}, c.recorded().get("fooled"), "a copy is kept");
      assertThrows(IllegalStateException.class, () -> c.record("fooled", new float[] {0, 0}));
      assertThrows(IllegalArgumentException.class, () -> c.record("other", new float[] {0}));
    }
  }

  @Test
  void testImagesAreEightBitAndTheSameForTheSameId() {
    float[] a = TestImages.pixels(3, IMAGE);
    assertArrayEquals(a, TestImages.pixels(3, IMAGE));
    for (float v : a) {
      assertEquals(v, Math.round(v * 255) / 255f, "k/255");
    }
    try (NDManager m = NDManager.newBaseManager()) {
      float[] batch = TestImages.batch(m, IMAGE, 2, 3).toFloatArray();
      assertArrayEquals(
          a, java.util.Arrays.copyOfRange(batch, 48, 96), "image 3 is the second of the batch");
    }
  }

  @Test
  void theObjectiveGradientOfALogitIsItsFiniteDifference() {
    ModelUnderTest model = new LinearModelUnderTest(IMAGE, CLASSES, 5);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = TestImages.batch(m, IMAGE, 0, 1);
      int k = 3;
      ModelUnderTest.ObjectiveGradient g =
          model.objectiveGradient(
              x,
              (z, c, dz) -> {
                double[] out = new double[z.length / c];
                for (int i = 0; i < out.length; i++) {
                  dz[i * c + k] = 1;
                  out[i] = z[i * c + k];
                }
                return out;
              });
      float[] z0 = model.logits(x).toFloatArray();
      assertArrayEquals(z0, g.logits().toFloatArray(), "the logits of the same pass");
      float[] grad = g.gradient().toFloatArray();
      float[] base = x.toFloatArray();
      // the model is linear: a unit step in one pixel moves logit k by that pixel's weight
      for (int j : new int[] {0, 17, 47, 48 + 30}) {
        float[] moved = base.clone();
        moved[j] += 1f;
        float[] z1 = model.logits(m.create(moved, x.getShape())).toFloatArray();
        int i = j / 48;
        assertEquals(z1[i * CLASSES + k] - z0[i * CLASSES + k], grad[j], 1e-5, "pixel " + j);
      }
    }
  }

  @Test
  void theLossGradientIsTheCrossEntropysWithItsDirectionAndLogOdds() {
    ModelUnderTest model = new LinearModelUnderTest(IMAGE, CLASSES, 6);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = TestImages.batch(m, IMAGE, 4, 5, 6);
      NDArray y = TestImages.labels(m, CLASSES, 4, 5, 6);
      ModelUnderTest.LossGradient lg = model.lossGradient(x, y);
      float[] z = model.logits(x).toFloatArray();
      int[] labels = y.toIntArray();
      float[] loss = lg.loss().toFloatArray();
      double[] logOdds = lg.logOdds().toDoubleArray();
      for (int i = 0; i < 3; i++) {
        double sum = 0;
        for (int k = 0; k < CLASSES; k++) {
          sum += Math.exp(z[i * CLASSES + k]);
        }
        double p = Math.exp(z[i * CLASSES + labels[i]]) / sum;
        assertEquals(-Math.log(p), loss[i], 1e-5, "cross-entropy of image " + i);
        assertEquals(Math.log((1 - p) / p), logOdds[i], 1e-5, "log-odds of image " + i);
      }
      // d loss / d x by central differences (the loss is smooth; the step is small against its
      // curvature)
      float[] grad = lg.gradient().toFloatArray();
      float[] base = x.toFloatArray();
      for (int j : new int[] {1, 50, 100, 143}) {
        double h = 1e-2;
        float[] up = base.clone();
        float[] down = base.clone();
        up[j] += (float) h;
        down[j] -= (float) h;
        double fd =
            (model.lossGradient(m.create(up, x.getShape()), y).loss().toFloatArray()[j / 48]
                    - model
                        .lossGradient(m.create(down, x.getShape()), y)
                        .loss()
                        .toFloatArray()[j / 48])
                / (2 * h);
        assertEquals(fd, grad[j], 1e-4 + 1e-2 * Math.abs(fd), "d loss / d pixel " + j);
      }
    }
  }

  @Test
  void eachImageIsComputedOnItsOwn() {
    ModelUnderTest model = new LinearModelUnderTest(IMAGE, CLASSES, 7);
    try (NDManager m = NDManager.newBaseManager()) {
      float[] batch =
          model
              .lossGradient(
                  TestImages.batch(m, IMAGE, 0, 1, 2), TestImages.labels(m, CLASSES, 0, 1, 2))
              .direction()
              .toFloatArray();
      float[] alone =
          model
              .lossGradient(TestImages.batch(m, IMAGE, 1), TestImages.labels(m, CLASSES, 1))
              .direction()
              .toFloatArray();
      assertArrayEquals(alone, java.util.Arrays.copyOfRange(batch, 48, 96));
    }
  }
}
