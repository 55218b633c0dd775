package io.qrbench.perturbations;

import java.util.SplittableRandom;

/**
 * Exact Poisson variates, fast for every mean, as NumPy draws them for scikit-image.
 *
 * <ul>
 *   <li>lambda &lt; 10: inversion by sequential search from 0 - one uniform and about lambda + 1
 *       multiply-adds. (NumPy uses the multiplication method here; same distribution.)
 *   <li>lambda &gt;= 10: PTRS, the transformed rejection method with squeeze of W. Hörmann, "The
 *       transformed rejection method for generating Poisson random variables", Insurance:
 *       Mathematics and Economics 12 (1993) 39-45. It is exact (a rejection method against a
 *       transformed-uniform hat), needs two uniforms per try, accepts many tries through a quick
 *       squeeze without any logarithm (about 35% at lambda 10, 70% at 128, 80% for large lambda),
 *       and its cost does not grow with lambda. NumPy uses the same algorithm with the same
 *       threshold (10), so the noise matches scikit-image's in distribution (not draw for draw: the
 *       generators differ).
 * </ul>
 *
 * A normal approximation with continuity correction was not used: it is not exact (it has no skew,
 * while Poisson's skewness 1/sqrt(lambda) is 0.32 at lambda 10, where dark pixels under scale 256
 * sit), and PTRS is cheap enough (see the speed test).
 */
final class PoissonSampler {
  /** Below this mean, inversion; at or above it, PTRS (the method's domain, as in NumPy). */
  static final double PTRS_MIN = 10;

  private static final int TABLE = 1024;
  private static final double[] LOG_FACTORIAL = new double[TABLE];
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  static {
    for (int k = 1; k < TABLE; k++) {
      LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }
  }

  private PoissonSampler() {}

  /**
   * One Poisson variate.
   *
   * @param r the random source
   * @param lambda the mean; 0 or less (or NaN) gives 0
   * @return the variate, as a double (exact for values below 2^53)
   */
  static double sample(SplittableRandom r, double lambda) {
    if (!(lambda > 0)) {
      return 0;
    }
    return lambda < PTRS_MIN ? inversion(r, lambda) : ptrs(r, lambda);
  }

  private static double inversion(SplittableRandom r, double lambda) {
    double u = r.nextDouble();
    double p = Math.exp(-lambda);
    double cdf = p;
    int k = 0;
    while (u > cdf) {
      k++;
      p *= lambda / k;
      double next = cdf + p;
      if (next == cdf) {
        break; // the remaining tail is below double resolution (probability ~1e-16)
      }
      cdf = next;
    }
    return k;
  }

  private static double ptrs(SplittableRandom r, double lambda) {
    double slam = Math.sqrt(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    double logLambda = Double.NaN; // computed once, only when the squeeze fails
    while (true) {
      double u = r.nextDouble() - 0.5;
      double v = r.nextDouble();
      double us = 0.5 - Math.abs(u);
      double k = Math.floor((2 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Double.isNaN(logLambda)) {
        logLambda = Math.log(lambda);
      }
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
          <= -lambda + k * logLambda - logFactorial(k)) {
        return k;
      }
    }
  }

  /** log(k!), exact to double rounding from a table below 1024, Stirling's series above. */
  static double logFactorial(double k) {
    if (k < TABLE) {
      return LOG_FACTORIAL[(int) k];
    }
    double z = k + 1; // log(k!) = log Gamma(z); the series' next term is below 1/(1680 z^7)
    double iz = 1 / z;
    double iz2 = iz * iz;
    return (z - 0.5) * Math.log(z)
        - z
        + HALF_LOG_2PI
        + iz * (1.0 / 12 - iz2 * (1.0 / 360 - iz2 / 1260));
  }
}
