package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.testing.SimpleContext;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquareTest {
  private static final int C = 3;
  private static final int H = 8;
  private static final int W = 8;
  private static final int PER = C * H * W;

  /** A random linear model of {@code classes} classes on 3x8x8 images. */
  private static JavaLinearModel randomModel(int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] w = new double[classes][PER];
    double[] b = new double[classes];
    for (int c = 0; c < classes; c++) {
      for (int j = 0; j < PER; j++) {
        w[c][j] = r.nextGaussian();
      }
      b[c] = r.nextGaussian();
    }
    return new JavaLinearModel(w, b, false);
  }

  /** Random 8-bit images, many pixels at 0 and 1 so that clipping matters. */
  private static float[] images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * PER];
    for (int j = 0; j < x.length; j++) {
      int v = r.nextInt(3) == 0 ? (r.nextBoolean() ? 0 : 255) : r.nextInt(256);
      x[j] = v / 255f;
    }
    return x;
  }

  private static SimpleContext context(
      NDManager m, JavaLinearModel model, float[] x, int[] labels, int first) {
    int n = labels.length;
    NDArray images = m.create(FloatBuffer.wrap(x), new Shape(n, C, H, W));
    return new SimpleContext(images, m.create(labels), first, 41, model, m);
  }

  /** Labels the model predicts, so that every image starts classified right. */
  private static int[] predicted(JavaLinearModel model, float[] x, int n) {
    float[] z = model.logits(x, n);
    int k = model.classes();
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int c = 1; c < k; c++) {
        if (z[i * k + c] > z[i * k + y[i]]) {
          y[i] = c;
        }
      }
    }
    return y;
  }

  @Test
  void neverLeavesTheBallNorThePixelRangeAndCountsEveryQuery() {
    for (String norm : List.of("linf", "l2")) {
      JavaLinearModel model = randomModel(10, 5);
      float[] x = images(8, 7);
      int[] y = predicted(model, x, 8);
      double eps = norm.equals("linf") ? 4 / 255.0 : 0.3;
      try (NDManager m = NDManager.newBaseManager()) {
        SimpleContext ctx = context(m, model, x, y, 0);
        float[] out =
            new Square().apply(new Square.Config(norm, eps, 300, null), ctx).toFloatArray();
        float radius = (float) eps;
        for (int i = 0; i < 8; i++) {
          double linf = 0;
          double l2 = 0;
          for (int j = 0; j < PER; j++) {
            float v = out[i * PER + j];
            assertTrue(v >= 0f && v <= 1f, norm + ": pixel " + v + " outside [0,1]");
            double d = Math.abs((double) v - x[i * PER + j]);
            linf = Math.max(linf, d);
            l2 += d * d;
          }
          double size = norm.equals("linf") ? linf : Math.sqrt(l2);
          assertTrue(
              size <= radius,
              norm + ": image " + i + " moved " + size + ", outside the ball " + radius);
          assertTrue(size > radius * 0.5, norm + ": image " + i + " uses its budget: " + size);
        }
        float[] queries = ctx.recorded().get("queries");
        float[] fooled = ctx.recorded().get("fooled");
        double total = 0;
        for (int i = 0; i < 8; i++) {
          total += queries[i];
          assertTrue(queries[i] >= 2 && queries[i] <= 300, norm + ": queries " + queries[i]);
          if (fooled[i] == 0) {
            assertEquals(
                300f, queries[i], norm + ": an image never fooled spends the whole budget");
          }
        }
        assertEquals(
            model.imagesQueried,
            total,
            0.0,
            norm + ": queries recorded = images the model was asked about");
        // fooled as recorded is fooled as the model sees the returned images
        int[] now = predicted(model, out, 8);
        for (int i = 0; i < 8; i++) {
          assertEquals(fooled[i] == 1, now[i] != y[i], norm + ": image " + i);
        }
      }
    }
  }

  /**
   * Two classes, z1 - z0 = w.x + b, every image classified 0 with a margin that the ball can cross
   * (half of eps ||w||_1 for linf, a third of eps ||w||_2 for l2, no pixel near the range's ends).
   * The model has no gradient: any call for one throws.
   */
  @Test
  void foolsALinearModelWhoseGradientThrowsAndStopsQueryingFooledImages() {
    SplittableRandom r = new SplittableRandom(3);
    double[] w = new double[PER];
    double l1 = 0;
    double l2 = 0;
    for (int j = 0; j < PER; j++) {
      w[j] = r.nextGaussian();
      l1 += Math.abs(w[j]);
      l2 += w[j] * w[j];
    }
    l2 = Math.sqrt(l2);
    int n = 6;
    float[] x = new float[n * PER];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) (0.3 + 0.4 * r.nextDouble());
    }
    for (String norm : List.of("linf", "l2")) {
      double eps = norm.equals("linf") ? 0.05 : 0.5;
      // one bias per image does not fit a linear model: shift each image instead, along w, to its
      // margin
      float[] shifted = x.clone();
      double target = norm.equals("linf") ? 0.5 * eps * l1 : eps * l2 / 3;
      for (int i = 0; i < n; i++) {
        double wx = 0;
        for (int j = 0; j < PER; j++) {
          wx += w[j] * x[i * PER + j];
        }
        double move = (-target - wx) / (l2 * l2); // w.(x + move w) = -target
        for (int j = 0; j < PER; j++) {
          shifted[i * PER + j] = (float) (x[i * PER + j] + move * w[j]);
        }
      }
      for (float v : shifted) {
        assertTrue(v > 0.1f && v < 0.9f, "test images stay inside (0,1): " + v);
      }
      JavaLinearModel model =
          new JavaLinearModel(new double[][] {new double[PER], w}, new double[] {0, 0}, false);
      try (NDManager m = NDManager.newBaseManager()) {
        SimpleContext ctx = context(m, model, shifted, new int[n], 0);
        assertThrows(
            UnsupportedOperationException.class,
            () -> model.lossGradient(ctx.images(), ctx.labels()));
        new Square().apply(new Square.Config(norm, eps, 3000, null), ctx);
        float[] fooled = ctx.recorded().get("fooled");
        float[] queries = ctx.recorded().get("queries");
        for (int i = 0; i < n; i++) {
          assertEquals(1f, fooled[i], norm + ": image " + i + " fooled");
          assertTrue(queries[i] < 3000, norm + ": a fooled image stops early: " + queries[i]);
        }
        double total = 0;
        for (float q : queries) {
          total += q;
        }
        assertEquals(
            model.imagesQueried, total, 0.0, norm + ": fooled images are not queried again");
        assertEquals(0, model.gradientCalls, norm + ": never asks for a gradient");
      }
    }
  }

  @Test
  void sameSeedSameImagesWhateverTheBatch() {
    for (String norm : List.of("linf", "l2")) {
      JavaLinearModel model = randomModel(10, 9);
      float[] x = images(6, 11);
      int[] y = predicted(model, x, 6);
      Square.Config config =
          new Square.Config(norm, norm.equals("linf") ? 8 / 255.0 : 0.5, 200, null);
      try (NDManager m = NDManager.newBaseManager()) {
        SimpleContext whole = context(m, model, x, y, 0);
        float[] all = new Square().apply(config, whole).toFloatArray();
        float[] again = new Square().apply(config, context(m, model, x, y, 0)).toFloatArray();
        assertArrayEquals(all, again, norm + ": same seed, same images");
        float[] parts = new float[all.length];
        float[] queries = new float[6];
        for (int from = 0; from < 6; from += 4) {
          int count = Math.min(4, 6 - from);
          float[] part = java.util.Arrays.copyOfRange(x, from * PER, (from + count) * PER);
          SimpleContext ctx =
              context(m, model, part, java.util.Arrays.copyOfRange(y, from, from + count), from);
          System.arraycopy(
              new Square().apply(config, ctx).toFloatArray(), 0, parts, from * PER, count * PER);
          System.arraycopy(ctx.recorded().get("queries"), 0, queries, from, count);
        }
        assertArrayEquals(all, parts, norm + ": batches of 4 and 2 give the batch of 6's images");
        assertArrayEquals(whole.recorded().get("queries"), queries, norm);
        assertTrue(!java.util.Arrays.equals(all, x), norm + ": the attack moved something");
      }
    }
  }

  @Test
  void pHalvesOnThePapersScheduleScaledToTheBudget() {
    assertEquals(0.8, Square.p(0.8, 10, 10000), 0.0);
    assertEquals(0.4, Square.p(0.8, 11, 10000), 0.0);
    assertEquals(0.2, Square.p(0.8, 51, 10000), 0.0);
    assertEquals(0.8 / 512, Square.p(0.8, 9999, 10000), 0.0);
    assertEquals(0.8 / 4, Square.p(0.8, 26, 5000), 0.0); // 52 of 10,000
    assertEquals(0.8 / 256, Square.p(0.8, 4000, 5000), 0.0); // 8000 of 10,000: not past it yet
  }

  @Test
  void badConfigsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Square.Config("l1", null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new Square.Config("linf", 1.5, null, null));
    assertThrows(IllegalArgumentException.class, () -> new Square.Config(null, null, 1, null));
    assertThrows(IllegalArgumentException.class, () -> new Square.Config(null, null, null, 0.0));
    Square.Config d = new Square.Config(null, null, null, null);
    assertEquals(
        List.of("linf", 8 / 255.0, 5000, 0.8),
        List.of(d.norm(), d.epsilon(), d.queries(), d.pInit()));
  }
}
