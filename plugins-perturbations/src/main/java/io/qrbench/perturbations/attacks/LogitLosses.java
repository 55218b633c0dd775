package io.qrbench.perturbations.attacks;

import io.qrbench.spi.ModelUnderTest.LogitObjective;

/**
 * The losses APGD ascends, as functions of each image's logits computed in double precision, with
 * their gradients with respect to the logits ({@link LogitObjective}): nothing here rounds to a
 * constant on a confident model, where the float32 softmax is one-hot.
 */
final class LogitLosses {
  private LogitLosses() {}

  /**
   * The cross-entropy, as the log-odds against the true label m = logsumexp_{j != y} z_j - z_y: the
   * cross-entropy is log(1 + e^m), strictly increasing in m, so m orders points exactly as the loss
   * does (and, unlike log(1 + e^m) in double, never rounds to 0 once m is below -745). Its gradient
   * q - onehot(y) (q the softmax over the other classes) is the cross-entropy's divided by
   * sigmoid(m) > 0, so sign and L2-normalised steps along it are the cross-entropy's steps.
   */
  static LogitObjective crossEntropy(int[] labels) {
    return (z, classes, dz) -> {
      check(z, labels.length, classes);
      double[] m = new double[labels.length];
      for (int i = 0; i < labels.length; i++) {
        int row = i * classes;
        int y = labels[i];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
          if (j != y) {
            max = Math.max(max, z[row + j]);
          }
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
          if (j != y) {
            sum += Math.exp(z[row + j] - max);
          }
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < classes; j++) {
          dz[row + j] = j == y ? -1f : (float) Math.exp(z[row + j] - lse);
        }
        m[i] = lse - z[row + y];
      }
      return m;
    };
  }

  /**
   * The targeted difference-of-logits-ratio loss of Croce and Hein (2020, eq. 7): -(z_y - z_t) /
   * (z_pi1 - (z_pi3 + z_pi4) / 2), pi the classes by decreasing logit. The denominator makes it
   * invariant to shifting and scaling the logits, so a model's confidence cannot flatten it; it is
   * positive once the target's logit exceeds the label's. The 1e-12 in the denominator is the
   * reference implementation's guard against equal logits.
   *
   * @param labels the true class of each image
   * @param targets the target class of each image, never its label
   */
  static LogitObjective dlrTargeted(int[] labels, int[] targets) {
    return (z, classes, dz) -> {
      check(z, labels.length, classes);
      if (classes < 4) {
        throw new IllegalArgumentException(
            "the targeted DLR loss needs at least 4 classes (its denominator"
                + " reads the 3rd and 4th largest logits); the model has "
                + classes
                + ": use loss: ce");
      }
      double[] out = new double[labels.length];
      int[] top = new int[4];
      for (int i = 0; i < labels.length; i++) {
        int row = i * classes;
        int y = labels[i];
        int t = targets[i];
        topFour(z, row, classes, top);
        double d =
            (double) z[row + top[0]] - 0.5 * ((double) z[row + top[2]] + z[row + top[3]]) + 1e-12;
        double num = (double) z[row + y] - z[row + t];
        out[i] = -num / d;
        // d out / d z_k = -(1[k=y] - 1[k=t]) / d + num / d^2 * (1[k=pi1] - (1[k=pi3] + 1[k=pi4]) /
        // 2)
        double[] g = new double[classes];
        g[y] -= 1 / d;
        g[t] += 1 / d;
        double c = num / (d * d);
        g[top[0]] += c;
        g[top[2]] -= 0.5 * c;
        g[top[3]] -= 0.5 * c;
        for (int j = 0; j < classes; j++) {
          dz[row + j] = (float) g[j];
        }
      }
      return out;
    };
  }

  /** The four classes of largest logit in one row, largest first (ties: the lower class first). */
  static void topFour(float[] z, int row, int classes, int[] top) {
    java.util.Arrays.fill(top, -1);
    for (int j = 0; j < classes; j++) {
      float v = z[row + j];
      for (int k = 0; k < top.length; k++) {
        if (top[k] < 0 || v > z[row + top[k]]) {
          System.arraycopy(top, k, top, k + 1, top.length - k - 1);
          top[k] = j;
          break;
        }
      }
    }
  }

  /**
   * The classes of each image ranked by its clean logits, largest first, leaving out its label: the
   * targets of the targeted runs (the reference takes the 2nd to 10th largest logits, the same
   * classes for an image classified right).
   */
  static int[][] targets(float[] z, int[] labels, int classes, int count) {
    int k = Math.min(count, classes - 1);
    int[][] out = new int[labels.length][k];
    for (int i = 0; i < labels.length; i++) {
      int row = i * classes;
      Integer[] order = new Integer[classes];
      for (int j = 0; j < classes; j++) {
        order[j] = j;
      }
      // stable: equal logits keep the lower class first
      java.util.Arrays.sort(order, (a, b) -> Float.compare(z[row + b], z[row + a]));
      int n = 0;
      for (int j = 0; j < classes && n < k; j++) {
        if (order[j] != labels[i]) {
          out[i][n++] = order[j];
        }
      }
    }
    return out;
  }

  /** Per image: whether its largest logit (the first, on ties) is not its label. */
  static boolean[] wrong(float[] z, int[] labels, int classes) {
    boolean[] out = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      int row = i * classes;
      int best = 0;
      for (int j = 1; j < classes; j++) {
        if (z[row + j] > z[row + best]) {
          best = j;
        }
      }
      out[i] = best != labels[i];
    }
    return out;
  }

  private static void check(float[] z, int n, int classes) {
    if (z.length != n * classes) {
      throw new IllegalArgumentException(
          z.length + " logits for " + n + " images of " + classes + " classes");
    }
  }
}
