package io.qrbench.perturbations.attacks;

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

class DeepFoolTest {
  private static final int PER = 3 * 8 * 8;
  private static final int N = 5;

  private static double[] gaussian(SplittableRandom r, int size, double scale) {
    double[] v = new double[size];
    for (int j = 0; j < size; j++) {
      v[j] = scale * r.nextGaussian();
    }
    return v;
  }

  /** Images near 0.5, so that no step of the tests reaches the ends of [0,1]. */
  private static float[] images(SplittableRandom r) {
    float[] x = new float[N * PER];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) (0.4 + 0.2 * r.nextDouble());
    }
    return x;
  }

  /** Per image, the norm of x' - x: 2 or infinity. */
  private static double[] sizes(float[] out, float[] x, boolean linf) {
    double[] s = new double[N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < PER; j++) {
        double d = Math.abs((double) out[i * PER + j] - x[i * PER + j]);
        s[i] = linf ? Math.max(s[i], d) : s[i] + d * d;
      }
      s[i] = linf ? s[i] : Math.sqrt(s[i]);
    }
    return s;
  }

  private static SimpleContext context(NDManager m, JavaLinearModel model, float[] x, int[] y) {
    NDArray images = m.create(FloatBuffer.wrap(x), new Shape(N, 3, 8, 8));
    return new SimpleContext(images, m.create(y), 0, 1, model, m);
  }

  /**
   * Two classes, z_1 - z_0 = w.x + b, images of class 0: DeepFool's one step reaches the boundary
   * exactly, and the overshoot scales it, so the perturbation is (1 + overshoot) |w.x + b| /
   * ||w||_2 for L2 and (1 + overshoot) |w.x + b| / ||w||_1 for L-infinity.
   */
  @Test
  void onALinearClassifierTheStepIsTheDistanceToTheBoundaryTimesTheOvershoot() {
    SplittableRandom r = new SplittableRandom(2);
    double[] w = gaussian(r, PER, 0.1);
    float[] x = images(r);
    double wx0 = 0;
    for (int j = 0; j < PER; j++) {
      wx0 += w[j] * x[j];
    }
    double b =
        -wx0 - 0.3; // image 0 sits 0.3 below the boundary; the others near it, all of class 0
    JavaLinearModel model =
        new JavaLinearModel(new double[][] {new double[PER], w}, new double[] {0, b}, true);
    int[] y = new int[N];
    double l1 = 0;
    double l2 = 0;
    for (double v : w) {
      l1 += Math.abs(v);
      l2 += v * v;
    }
    l2 = Math.sqrt(l2);
    for (String norm : List.of("l2", "linf")) {
      for (double overshoot : new double[] {0.02, 0.5}) {
        try (NDManager m = NDManager.newBaseManager()) {
          SimpleContext ctx = context(m, model, x, y);
          float[] z = model.logits(x, N);
          float[] out =
              new DeepFool()
                  .apply(new DeepFool.Config(norm, overshoot, null, null), ctx)
                  .toFloatArray();
          double[] size = sizes(out, x, norm.equals("linf"));
          for (int i = 0; i < N; i++) {
            double f = z[2 * i + 1] - z[2 * i];
            assertTrue(f < 0, "image " + i + " starts in class 0");
            double expected = (1 + overshoot) * Math.abs(f) / (norm.equals("linf") ? l1 : l2);
            assertEquals(
                expected, size[i], 1e-4, norm + " overshoot " + overshoot + ", image " + i);
            assertEquals(1f, ctx.recorded().get("fooled")[i], norm + ": image " + i + " fooled");
          }
        }
      }
    }
  }

  /**
   * Four classes, linear: the nearest boundary z_k = z_y is found among all candidates, so the
   * perturbation is (1 + overshoot) min_k |f_k| / ||w_k - w_y||_2; with two candidates only the
   * class of the second largest logit is considered.
   */
  @Test
  void findsTheNearestOfSeveralLinearBoundariesAmongItsCandidates() {
    SplittableRandom r = new SplittableRandom(4);
    int k = 4;
    double[][] w = new double[k][];
    for (int c = 0; c < k; c++) {
      w[c] = gaussian(r, PER, 0.05);
    }
    JavaLinearModel model = new JavaLinearModel(w, new double[k], true);
    float[] x = images(r);
    float[] z = model.logits(x, N);
    int[] y = new int[N];
    for (int i = 0; i < N; i++) {
      for (int c = 1; c < k; c++) {
        if (z[i * k + c] > z[i * k + y[i]]) {
          y[i] = c;
        }
      }
    }
    for (int candidates : new int[] {4, 2}) {
      try (NDManager m = NDManager.newBaseManager()) {
        SimpleContext ctx = context(m, model, x, y);
        float[] out =
            new DeepFool()
                .apply(new DeepFool.Config("l2", 0.02, 50, candidates), ctx)
                .toFloatArray();
        double[] size = sizes(out, x, false);
        for (int i = 0; i < N; i++) {
          double nearest = Double.POSITIVE_INFINITY;
          int second = -1;
          for (int c = 0; c < k; c++) {
            if (c != y[i] && (second < 0 || z[i * k + c] > z[i * k + second])) {
              second = c;
            }
          }
          for (int c = 0; c < k; c++) {
            if (c == y[i] || (candidates == 2 && c != second)) {
              continue;
            }
            double norm = 0;
            for (int j = 0; j < PER; j++) {
              norm += (w[c][j] - w[y[i]][j]) * (w[c][j] - w[y[i]][j]);
            }
            nearest = Math.min(nearest, Math.abs(z[i * k + c] - z[i * k + y[i]]) / Math.sqrt(norm));
          }
          assertEquals(1.02 * nearest, size[i], 1e-4, candidates + " candidates, image " + i);
          assertEquals(1f, ctx.recorded().get("fooled")[i]);
        }
      }
    }
  }

  @Test
  void anImageWrongAlreadyIsNotMovedAndAModelWithoutGradientsIsNotUsed() {
    SplittableRandom r = new SplittableRandom(6);
    double[] w = gaussian(r, PER, 0.1);
    JavaLinearModel model =
        new JavaLinearModel(new double[][] {new double[PER], w}, new double[] {0, 0}, true);
    float[] x = images(r);
    float[] z = model.logits(x, N);
    int[] wrong = new int[N];
    for (int i = 0; i < N; i++) {
      wrong[i] = z[2 * i + 1] > z[2 * i] ? 0 : 1;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      SimpleContext ctx = context(m, model, x, wrong);
      float[] out =
          new DeepFool().apply(new DeepFool.Config(null, null, null, null), ctx).toFloatArray();
      assertEquals(0.0, java.util.Arrays.stream(sizes(out, x, true)).max().orElseThrow(), 0.0);
      assertEquals(N, model.imagesQueried, "one forward pass");
      assertEquals(0, model.gradientCalls, "no gradient asked for");
    }
    assertThrows(IllegalArgumentException.class, () -> new DeepFool.Config("l1", null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new DeepFool.Config(null, -0.1, null, null));
    assertThrows(IllegalArgumentException.class, () -> new DeepFool.Config(null, null, null, 1));
  }
}
