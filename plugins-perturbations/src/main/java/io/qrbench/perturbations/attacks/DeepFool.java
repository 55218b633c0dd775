package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.ModelUnderTest.ObjectiveGradient;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * DeepFool (Moosavi-Dezfooli, Fawzi and Frossard, CVPR 2016): the smallest perturbation that
 * crosses the nearest decision boundary of the model linearised at the current point, repeated
 * until the prediction changes. At x_i, for each candidate class k (the {@code candidates} classes
 * with the largest clean logits, the label excluded), f'_k = z_k - z_y and w'_k = its input
 * gradient; the nearest boundary is the k that minimises |f'_k| / ||w'_k||_q (q = 2 for L2, q = 1
 * for L-infinity, the paper's section 3.2), and the step to it is |f'_k| / ||w'_k||_2^2 w'_k (L2)
 * or |f'_k| / ||w'_k||_1 sign(w'_k) (L-infinity). As in the authors' code the overshoot scales the
 * sum of the steps: x_{i+1} = clip(x_0 + (1 + overshoot) sum r_i), so on a linear classifier one
 * iteration moves each image (1 + overshoot) times its distance to the boundary.
 *
 * <p>The label is the true one, so an image misclassified already needs no perturbation (as with
 * {@code minimal}). An image still right after {@code max-iterations} keeps its last iterate and
 * counts as not fooled. The case records {@code fooled}; the perturbation's size is measured by the
 * framework on the returned images (mean and median L2 and L-infinity), as for {@code minimal}. The
 * gradients come from {@code objectiveGradient} (the logits' difference, computed from the logits
 * in double precision, never saturates), one call per candidate per iteration.
 */
public final class DeepFool implements Perturbation<DeepFool.Config> {

  /**
   * @param norm l2 or linf
   * @param overshoot how far past the linearised boundary each image is pushed, as a fraction
   * @param maxIterations the most linearisations per image
   * @param candidates the classes with the largest clean logits considered, the label among them
   */
  public record Config(
      @JsonPropertyDescription("l2 or linf") String norm,
      @JsonPropertyDescription(
              "push past the linearised boundary by this fraction of the step (paper: 0.02)")
          @Bound(min = 0, max = 10)
          Double overshoot,
      @JsonPropertyDescription("most linearisations per image")
          @Bound(min = 1, max = Steps.MAX_STEPS, why = Steps.WHY)
          Integer maxIterations,
      @JsonPropertyDescription(
              "classes with the largest clean logits considered, the label among them")
          @Bound(min = 2, max = 100_000, why = "each candidate is one backward pass per iteration")
          Integer candidates) {
    public Config {
      norm = Steps.norm(norm, "l2");
      overshoot = overshoot == null ? 0.02 : overshoot;
      maxIterations = maxIterations == null ? 50 : maxIterations;
      candidates = candidates == null ? 10 : candidates;
      if (!(overshoot >= 0) || maxIterations < 1 || candidates < 2) {
        throw new IllegalArgumentException(
            "overshoot must be >= 0, max-iterations at least 1, candidates at least 2");
      }
    }

    boolean linf() {
      return norm.equals("linf");
    }
  }

  @Override
  public String id() {
    return "deepfool";
  }

  @Override
  public String description() {
    return "DeepFool: minimal L2 or L-infinity perturbation by repeated linearisation (Moosavi-Dezfooli et al.)";
  }

  /** White-box: each step linearises the logits by their gradients. */
  @Override
  public boolean usesGradients(Config config) {
    return true;
  }

  /**
   * A gradient per candidate class per linearisation; DeepFool usually crosses the boundary in a
   * few (the paper reports 2 to 3 on CIFAR-10), so at most 4 are counted rather than the budget.
   */
  @Override
  public double passesPerImage(Config config) {
    return 3.0 * config.candidates() * Math.min(4, config.maxIterations());
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    Shape shape = ctx.images().getShape();
    int n = ctx.batchSize();
    int per = Math.toIntExact(shape.size() / n);
    float[] x0 = ctx.images().toFloatArray();
    int[] y = ctx.labels().toType(DataType.INT32, false).toIntArray();
    float[] x = x0.clone();
    double[] total = new double[n * per];
    boolean[] fooled = new boolean[n];
    boolean[] stuck = new boolean[n];
    int[][] candidates = null;
    double scale = 1 + config.overshoot();
    for (int it = 0; it <= config.maxIterations(); it++) {
      int[] active = IntStream.range(0, n).filter(i -> !fooled[i] && !stuck[i]).toArray();
      if (active.length == 0) {
        break;
      }
      try (NDManager sub = ctx.manager().newSubManager()) {
        NDArray batch = gather(sub, x, active, per, shape);
        float[] z = ctx.model().logits(batch).toFloatArray();
        int k = z.length / active.length;
        if (candidates == null) {
          candidates = candidates(z, k, y, active, n, Math.min(config.candidates(), k));
        }
        int[] still =
            IntStream.range(0, active.length)
                .filter(a -> !(fooled[active[a]] = wrong(z, k, a, y[active[a]])))
                .toArray();
        if (still.length == 0 || it == config.maxIterations()) {
          break;
        }
        int[] rows = IntStream.of(still).map(a -> active[a]).toArray();
        step(
            ctx,
            gather(sub, x, rows, per, shape),
            rows,
            candidates,
            y,
            per,
            config.linf(),
            total,
            stuck);
      }
      for (int i : active) {
        if (fooled[i]) {
          continue;
        }
        for (int j = 0; j < per; j++) {
          x[i * per + j] =
              (float) Math.min(1, Math.max(0, x0[i * per + j] + scale * total[i * per + j]));
        }
      }
    }
    float[] rec = new float[n];
    for (int i = 0; i < n; i++) {
      rec[i] = fooled[i] ? 1f : 0f;
    }
    ctx.record("fooled", rec);
    return ctx.manager().create(FloatBuffer.wrap(x), shape);
  }

  /**
   * One DeepFool step for each image in {@code rows}: the nearest linearised boundary among its
   * candidates, the step to it added to {@code total}. An image with no usable gradient is stuck.
   */
  private static void step(
      PerturbationContext ctx,
      NDArray batch,
      int[] rows,
      int[][] candidates,
      int[] y,
      int per,
      boolean linf,
      double[] total,
      boolean[] stuck) {
    int m = rows.length;
    double[] bestDistance = new double[m];
    java.util.Arrays.fill(bestDistance, Double.POSITIVE_INFINITY);
    double[] bestStep = new double[m]; // |f'| / ||w'||_2^2 (l2) or |f'| / ||w'||_1 (linf)
    float[][] bestGradient = new float[m][];
    int ranks = candidates[rows[0]].length;
    for (int rank = 0; rank < ranks; rank++) {
      final int r = rank;
      ObjectiveGradient g =
          ctx.model()
              .objectiveGradient(
                  batch,
                  (z, classes, dz) -> {
                    double[] v = new double[m];
                    for (int a = 0; a < m; a++) {
                      int c = candidates[rows[a]][r];
                      int label = y[rows[a]];
                      v[a] = (double) z[a * classes + c] - z[a * classes + label];
                      dz[a * classes + c] = 1f;
                      dz[a * classes + label] = -1f;
                    }
                    return v;
                  });
      float[] grad = g.gradient().toFloatArray();
      for (int a = 0; a < m; a++) {
        double l1 = 0;
        double l2 = 0;
        for (int j = 0; j < per; j++) {
          double v = grad[a * per + j];
          l1 += Math.abs(v);
          l2 += v * v;
        }
        double norm = linf ? l1 : Math.sqrt(l2);
        if (!(norm > 0)) {
          continue;
        }
        double distance = Math.abs(g.values()[a]) / norm;
        if (distance < bestDistance[a]) {
          bestDistance[a] = distance;
          bestStep[a] = linf ? distance : Math.abs(g.values()[a]) / l2;
          bestGradient[a] = java.util.Arrays.copyOfRange(grad, a * per, (a + 1) * per);
        }
      }
    }
    for (int a = 0; a < m; a++) {
      int i = rows[a];
      if (bestGradient[a] == null) {
        stuck[i] = true;
        continue;
      }
      for (int j = 0; j < per; j++) {
        double gj = bestGradient[a][j];
        total[i * per + j] += bestStep[a] * (linf ? Math.signum(gj) : gj);
      }
    }
  }

  /** Per image, the other classes among its {@code count} largest clean logits, largest first. */
  private static int[][] candidates(float[] z, int k, int[] y, int[] active, int n, int count) {
    int[][] out = new int[n][];
    for (int a = 0; a < active.length; a++) {
      int i = active[a];
      final int row = a;
      int[] order =
          IntStream.range(0, k)
              .boxed()
              .sorted((p, q) -> Float.compare(z[row * k + q], z[row * k + p]))
              .mapToInt(Integer::intValue)
              .toArray();
      out[i] = IntStream.of(order).limit(count).filter(c -> c != y[i]).limit(count - 1).toArray();
    }
    return out;
  }

  /** True when the first largest logit of row a is not the label. */
  private static boolean wrong(float[] z, int k, int a, int label) {
    int top = 0;
    for (int j = 1; j < k; j++) {
      if (z[a * k + j] > z[a * k + top]) {
        top = j;
      }
    }
    return top != label;
  }

  private static NDArray gather(NDManager m, float[] x, int[] rows, int per, Shape shape) {
    float[] out = new float[rows.length * per];
    for (int a = 0; a < rows.length; a++) {
      System.arraycopy(x, rows[a] * per, out, a * per, per);
    }
    long[] dims = shape.getShape().clone();
    dims[0] = rows.length;
    return m.create(FloatBuffer.wrap(out), new Shape(dims));
  }
}
