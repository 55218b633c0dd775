package io.qrbench.quantizers;

import java.util.Random;

/**
 * Seeded random weight tensors of the shapes quantizers meet in practice and the ones that break
 * naive code: heavy tails, exact ties, exact zeros, constant and all-zero tensors.
 */
final class RandomTensors {

  /** The distributions the property tests sweep. */
  enum Dist {
    GAUSSIAN,
    UNIFORM,
    LAPLACE,
    STUDENT_T3,
    CAUCHY,
    /** Multiples of 0.25 in [-1, 1]: many exact ties in |w|, zeros, and both signs. */
    TIES,
    /** Gaussian with 60% exact zeros. */
    SPARSE,
    /** Every magnitude equal, random signs. */
    CONSTANT,
    /** Gaussian channels whose scales differ by up to 1000x. */
    MIXED_SCALE,
    /** All +0 and -0. */
    ZEROS
  }

  /** Distributions where every tensor has at least one non-zero weight. */
  static final Dist[] NON_DEGENERATE = {
    Dist.GAUSSIAN,
    Dist.UNIFORM,
    Dist.LAPLACE,
    Dist.STUDENT_T3,
    Dist.CAUCHY,
    Dist.TIES,
    Dist.SPARSE,
    Dist.CONSTANT,
    Dist.MIXED_SCALE
  };

  private RandomTensors() {}

  static float[] draw(Random r, Dist d, int n) {
    float[] w = new float[n];
    double scale = Math.exp(r.nextGaussian() * 2); // vary the overall magnitude too
    for (int i = 0; i < n; i++) {
      double v =
          switch (d) {
            case GAUSSIAN -> r.nextGaussian();
            case UNIFORM -> 2 * r.nextDouble() - 1;
            case LAPLACE -> (r.nextBoolean() ? 1 : -1) * -Math.log(1 - r.nextDouble());
            case STUDENT_T3 -> {
              double chi = 0;
              for (int k = 0; k < 3; k++) {
                double z = r.nextGaussian();
                chi += z * z;
              }
              yield r.nextGaussian() / Math.sqrt(chi / 3 + 1e-12);
            }
            case CAUCHY ->
                Math.max(-1e4, Math.min(1e4, Math.tan(Math.PI * (r.nextDouble() - 0.5))));
            case TIES -> (r.nextInt(9) - 4) * 0.25;
            case SPARSE -> r.nextDouble() < 0.6 ? 0 : r.nextGaussian();
            case CONSTANT -> r.nextBoolean() ? 1 : -1;
            case MIXED_SCALE -> r.nextGaussian() * Math.pow(10, 3.0 * i / Math.max(1, n));
            case ZEROS -> r.nextBoolean() ? 0.0 : -0.0;
          };
      w[i] = (float) (d == Dist.TIES || d == Dist.ZEROS ? v : v * scale);
    }
    if (d == Dist.TIES || d == Dist.SPARSE) {
      // guarantee a non-zero so the distribution stays non-degenerate
      boolean any = false;
      for (float v : w) {
        any |= v != 0f;
      }
      if (!any && n > 0) {
        w[r.nextInt(n)] = d == Dist.TIES ? 0.5f : (float) scale;
      }
    }
    return w;
  }

  static Dist anyNonDegenerate(Random r) {
    return NON_DEGENERATE[r.nextInt(NON_DEGENERATE.length)];
  }

  /** A size from 1 to a few thousand, skewed small, as small layers expose edge cases. */
  static int size(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> 1 + r.nextInt(12);
      case 1 -> 1 + r.nextInt(100);
      case 2 -> 1 + r.nextInt(1000);
      default -> 1 + r.nextInt(5000);
    };
  }

  /** A (channels, per-channel size) pair whose product is a plausible weight tensor. */
  static int[] layout(Random r) {
    int channels = 1 + r.nextInt(r.nextBoolean() ? 4 : 40);
    int per = 1 + r.nextInt(r.nextBoolean() ? 10 : 300);
    return new int[] {channels, per};
  }

  static float[] abs(float[] w) {
    float[] a = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      a[i] = Math.abs(w[i]);
    }
    return a;
  }
}
