package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.Layers;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Split;
import io.qrbench.testing.SimpleContext;
import io.qrbench.testing.TinyDataset;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ApgdTest {
  /** TinyDataset's images with a fourth class, which the targeted DLR loss needs. */
  static final ModelInput INPUT = new ModelInput(3, 8, 8, 4);

  static LoadedModel confident(double scale) {
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

  /** Images {@code first .. first + count - 1} of the test split, image i seeded 29 + i. */
  static SimpleContext context(ModelUnderTest m, NDManager bm, int first, int count) {
    ImageDataset data = new TinyDataset().open(new TinyDataset.Config(first + count), Split.TEST);
    NDArray[] xy = new Batches(data, count).load(bm, null, first, count);
    return new SimpleContext(xy[0], xy[1], first, 29, m, bm);
  }

  static Apgd.Config config(
      String norm, double eps, String loss, int targets, int steps, int restarts) {
    return new Apgd.Config(norm, eps, loss, targets, steps, restarts, null, null);
  }

  static int sum(float[] v) {
    int n = 0;
    for (float f : v) {
      n += Math.round(f);
    }
    return n;
  }

  @Test
  void theCheckpointsAreThePapers() {
    // p = 0, 0.22, 0.41, 0.57, 0.70, 0.80, 0.87, 0.93, 0.99 (then 1.05 > 1)
    assertArrayEquals(new int[] {0, 22, 41, 57, 70, 80, 87, 93, 99}, Apgd.checkpoints(100));
    assertArrayEquals(
        new int[] {0, 220, 410, 570, 700, 800, 870, 930, 990}, Apgd.checkpoints(1000));
    // ceil(p N) for N = 10: 3, 5, 6, 7, 8, 9, 10, 10 (the repeat is dropped)
    assertArrayEquals(new int[] {0, 3, 5, 6, 7, 8, 9, 10}, Apgd.checkpoints(10));
    assertArrayEquals(new int[] {0, 1}, Apgd.checkpoints(1));
  }

  @Test
  void theTargetedDlrGradientIsItsFiniteDifference() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 6;
    int classes = 10;
    float[] z = new float[n * classes];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (4 * r.nextGaussian());
    }
    int[] y = {0, 3, 9, 2, 5, 7};
    int[] t = {1, 4, 0, 8, 6, 2};
    ModelUnderTest.LogitObjective f = LogitLosses.dlrTargeted(y, t);
    float[] dz = new float[z.length];
    double[] v = f.evaluate(z, classes, dz);
    float h = 1e-2f;
    for (int i = 0; i < n; i++) {
      // the value is the formula's, computed independently here
      float[] row = java.util.Arrays.copyOfRange(z, i * classes, (i + 1) * classes);
      float[] sorted = row.clone();
      java.util.Arrays.sort(sorted);
      double expected =
          -((double) row[y[i]] - row[t[i]])
              / (sorted[classes - 1] - 0.5 * ((double) sorted[classes - 3] + sorted[classes - 4]));
      assertEquals(expected, v[i], 1e-9 * Math.abs(expected), "DLR of image " + i);
      for (int j = 0; j < classes; j++) {
        float[] up = z.clone();
        float[] down = z.clone();
        up[i * classes + j] += h;
        down[i * classes + j] -= h;
        double numeric =
            (f.evaluate(up, classes, new float[z.length])[i]
                    - f.evaluate(down, classes, new float[z.length])[i])
                / ((double) up[i * classes + j] - down[i * classes + j]);
        assertEquals(
            numeric,
            dz[i * classes + j],
            1e-4 + 1e-3 * Math.abs(numeric),
            "d DLR / d z, image " + i + " class " + j);
      }
    }
  }

  @Test
  void theCrossEntropysLogOddsGradientIsItsFiniteDifference() {
    SplittableRandom r = new SplittableRandom(6);
    int n = 4;
    int classes = 5;
    float[] z = new float[n * classes];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (3 * r.nextGaussian());
    }
    int[] y = {0, 1, 4, 2};
    ModelUnderTest.LogitObjective f = LogitLosses.crossEntropy(y);
    float[] dz = new float[z.length];
    double[] v = f.evaluate(z, classes, dz);
    for (int i = 0; i < n; i++) {
      double lse = 0;
      double all = 0;
      for (int j = 0; j < classes; j++) {
        all += Math.exp(z[i * classes + j]);
        lse += j == y[i] ? 0 : Math.exp(z[i * classes + j]);
      }
      assertEquals(Math.log(lse) - z[i * classes + y[i]], v[i], 1e-9, "log-odds of image " + i);
      // the cross-entropy is log(1 + e^m)
      assertEquals(Math.log(all) - z[i * classes + y[i]], Math.log1p(Math.exp(v[i])), 1e-9);
      for (int j = 0; j < classes; j++) {
        float[] up = z.clone();
        float[] down = z.clone();
        up[i * classes + j] += 1e-2f;
        down[i * classes + j] -= 1e-2f;
        double numeric =
            (f.evaluate(up, classes, new float[z.length])[i]
                    - f.evaluate(down, classes, new float[z.length])[i])
                / ((double) up[i * classes + j] - down[i * classes + j]);
        assertEquals(numeric, dz[i * classes + j], 1e-4, "d m / d z, image " + i + " class " + j);
      }
    }
  }

  /**
   * One pixel, x0 = 0.5, and a class-1 logit 1e4 (w^2 - (x - c)^2) against 0 for the label (and
   * -5000 for the two other classes): the image is misclassified only within w = 0.004 of c = 0.63,
   * and the loss rises towards c from both sides. PGD's fixed step of epsilon/4 = 0.05 ends up
   * stepping over c back and forth, landing in the 0.008-wide window only by luck of its start;
   * APGD's halved steps close in on c.
   */
  @Test
  void apgdFindsTheNarrowWindowThatFixedStepPgdStepsOver() {
    ModelInput one = new ModelInput(1, 1, 1, 4);
    try (LoadedModel m =
            new LoadedModel(
                "narrow",
                one,
                manager ->
                    LambdaBlock.singleton(
                        x -> {
                          NDArray d = x.reshape(-1, 1).sub(0.63f);
                          NDArray z1 = d.square().neg().add(0.004f * 0.004f).mul(1e4f);
                          NDArray far = z1.zerosLike().sub(5000); // classes 2 and 3 never pull
                          return NDArrays.concat(
                              new ai.djl.ndarray.NDList(z1.zerosLike(), z1, far, far), 1);
                        }));
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      int n = 32;
      NDArray x0 = bm.full(new Shape(n, 1, 1, 1), 0.5f);
      SimpleContext ctx =
          new SimpleContext(
              x0, bm.zeros(new Shape(n), ai.djl.ndarray.types.DataType.INT32), 0, 41, m, bm);
      for (String norm : java.util.List.of("linf", "l2")) {
        NDArray pgd = new Pgd().apply(new Pgd.Config(norm, 0.2, null, 100, true, 1), ctx);
        int pgdFooled = n - count(m, pgd, 0);
        NDArray apgd = new Apgd().apply(config(norm, 0.2, "ce", 9, 100, 1), ctx);
        int apgdFooled = sum(ctx.recorded().get("fooled"));
        assertEquals(
            apgdFooled,
            n - count(m, apgd, 0),
            "fooled is what the model says of the returned images");
        assertEquals(n, apgdFooled, norm + ": APGD finds the window from every start");
        assertTrue(
            pgdFooled <= n / 4,
            norm + ": PGD with step eps/4 lands in it from " + pgdFooled + " of " + n + " starts");
      }
    }
  }

  /** Images of {@code x} classified as {@code label}. */
  private static int count(ModelUnderTest m, NDArray x, int label) {
    int[] pred =
        m.logits(x).argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
    int c = 0;
    for (int p : pred) {
      c += p == label ? 1 : 0;
    }
    return c;
  }

  @Test
  void apgdNeverLeavesTheBallOrThePixelRange() {
    try (LoadedModel m = confident(1);
        NDManager bm = m.manager().newSubManager()) {
      SimpleContext ctx = context(m, bm, 0, 12);
      for (String norm : java.util.List.of("linf", "l2")) {
        for (String loss : java.util.List.of("ce", "dlr-targeted")) {
          float eps = norm.equals("linf") ? 0.05f : 0.6f;
          NDArray adv = new Apgd().apply(config(norm, eps, loss, 2, 15, 2), ctx);
          NDArray d = adv.sub(ctx.images()).reshape(12, -1);
          float[] size =
              norm.equals("linf")
                  ? d.abs().max(new int[] {1}).toFloatArray()
                  : d.square().sum(new int[] {1}).sqrt().toFloatArray();
          boolean moved = false;
          for (int i = 0; i < 12; i++) {
            assertTrue(
                size[i] <= eps * (1 + 1e-6f) + 1e-7f,
                norm + "/" + loss + ": image " + i + " moved " + size[i] + " > " + eps);
            moved |= size[i] > eps / 2;
          }
          assertTrue(moved, norm + "/" + loss + ": the attack used its budget");
          assertTrue(
              adv.min().getFloat() >= 0 && adv.max().getFloat() <= 1,
              norm + "/" + loss + ": pixels in [0,1]");
        }
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameImagesWhateverTheBatch() {
    try (LoadedModel m = confident(1);
        NDManager bm = m.manager().newSubManager()) {
      for (Apgd.Config c :
          new Apgd.Config[] {
            config("linf", 0.04, "ce", 9, 12, 3), config("l2", 0.3, "dlr-targeted", 3, 12, 2)
          }) {
        SimpleContext all = context(m, bm, 0, 8);
        float[] whole = new Apgd().apply(c, all).toFloatArray();
        assertArrayEquals(
            whole,
            new Apgd().apply(c, context(m, bm, 0, 8)).toFloatArray(),
            0f,
            "same seed, same images");
        SimpleContext a = context(m, bm, 0, 4);
        SimpleContext b = context(m, bm, 4, 4);
        float[] first = new Apgd().apply(c, a).toFloatArray();
        float[] second = new Apgd().apply(c, b).toFloatArray();
        float[] halves = new float[whole.length];
        System.arraycopy(first, 0, halves, 0, first.length);
        System.arraycopy(second, 0, halves, first.length, second.length);
        assertArrayEquals(
            whole, halves, 0f, c.norm() + "/" + c.loss() + ": a batch of 8 and two of 4");
        int per = whole.length / 8;
        float[] fooled = all.recorded().get("fooled");
        // alone, an image runs as two copies of itself: the same again. L2 steps use the gradient's
        // values, not only their signs, which a batch of 2 gives in other last bits than one of 8
        // (ConfidentNet on this engine), and 12 steps make that up to 1e-4: there only the outcome
        for (int i = 1; i < 8; i += 2) {
          SimpleContext one = context(m, bm, i, 1);
          float[] alone = new Apgd().apply(c, one).toFloatArray();
          assertEquals(
              fooled[i],
              one.recorded().get("fooled")[0],
              "image " + i + " fooled alone and in a batch");
          if (c.linf()) {
            assertArrayEquals(
                java.util.Arrays.copyOfRange(whole, i * per, (i + 1) * per),
                alone,
                0f,
                c.norm() + "/" + c.loss() + ": image " + i + " in a batch of 8 and alone");
          }
        }
        int some = sum(fooled);
        assertTrue(
            some > 0 && some < 8,
            c.loss() + ": a test that breaks some images and not others, broke " + some);
        float[] parts = new float[8];
        System.arraycopy(a.recorded().get("fooled"), 0, parts, 0, 4);
        System.arraycopy(b.recorded().get("fooled"), 0, parts, 4, 4);
        assertArrayEquals(fooled, parts, 0f);
        SimpleContext other = new SimpleContext(all.images(), all.labels(), 0, 30, m, bm);
        assertTrue(
            !java.util.Arrays.equals(whole, new Apgd().apply(c, other).toFloatArray()),
            "another seed, another start");
      }
    }
  }

  @Test
  void eachStepIsOneForwardAndBackwardPass() {
    try (LoadedModel m = confident(1);
        NDManager bm = m.manager().newSubManager()) {
      Counting counting = new Counting(m);
      SimpleContext ctx = context(counting, bm, 0, 6);
      new Apgd().apply(config("linf", 1e-4, "ce", 9, 30, 1), ctx); // too small to break any
      assertEquals(0, sum(ctx.recorded().get("fooled")));
      assertEquals(
          30, counting.gradients, "a gradient per step; the last point needs only its logits");
      assertEquals(2, counting.forwards, "the clean images and the last point");
      assertEquals(0, counting.lossGradients);
    }
  }

  @Test
  void badKeysAreRefusedWithTheirRange() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Apgd.Config("l1", null, null, null, null, null, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Apgd.Config(null, null, "dlr", null, null, null, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Apgd.Config(null, null, null, null, null, null, 1.5, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Apgd.Config(null, 2.0, null, null, null, null, null, null));
    Apgd.Config d = new Apgd.Config(null, null, null, null, null, null, null, null);
    assertEquals(new Apgd.Config("linf", 8 / 255.0, "ce", 9, 100, 1, 0.75, 0.75), d);
  }

  @Test
  void theTargetedLossOnAThreeClassModelSaysWhy() {
    try (LoadedModel m =
            new LoadedModel(
                "lin",
                io.qrbench.testing.TinyLinearModel.plain(new ModelInput(3, 8, 8, 3)),
                new ModelInput(3, 8, 8, 3));
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      SimpleContext ctx = context(m, bm, 0, 3);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new Apgd().apply(config("linf", 0.03, "dlr-targeted", 9, 5, 1), ctx));
      assertTrue(e.getMessage().contains("at least 4 classes"), e.getMessage());
    }
  }

  /** A model handle that counts its passes. */
  static final class Counting implements ModelUnderTest {
    final ModelUnderTest m;
    int forwards;
    int gradients;
    int lossGradients;
    final java.util.List<Integer> gradientBatches = new java.util.ArrayList<>();

    Counting(ModelUnderTest m) {
      this.m = m;
    }

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
      forwards++;
      return m.logits(images);
    }

    @Override
    public LossGradient lossGradient(NDArray images, NDArray labels) {
      lossGradients++;
      return m.lossGradient(images, labels);
    }

    @Override
    public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
      gradients++;
      gradientBatches.add(Math.toIntExact(images.getShape().get(0)));
      return m.objectiveGradient(images, objective);
    }
  }
}
