package io.qrbench.perturbations;

/**
 * Poisson variates of one mean, divided by a scale, from a precomputed table by Walker's alias
 * method (A. J. Walker, "An efficient method for generating discrete random variables with general
 * distributions", ACM TOMS 3 (1977) 253-256; table built with M. D. Vose's linear-time
 * construction, IEEE TSE 17 (1991) 972-975): one uniform, one table slot, one comparison. Building
 * costs O(sqrt(lambda)), so it pays when many values share a mean, as the pixels of an 8-bit image
 * do (at most 256 means per scale). About twice as fast here as inversion through a guide table,
 * whose two dependent look-ups and search loop miss the cache and the branch predictor more.
 *
 * <p>Exact up to double rounding: probabilities come from the mode outward by the recurrences
 * p(k+1) = p(k) lambda/(k+1) and p(k-1) = p(k) k/lambda; the two tails cut off hold less than 1e-18
 * together; the uniform's 53 bits are split into a slot (at most 11 bits) and a fraction (at least
 * 42 bits, a resolution of 2e-13).
 */
final class PoissonTable {
  /** The largest mean tables are built for; above it, tables grow large and PTRS is used. */
  static final double MAX_LAMBDA = 1024;

  /** Tail probabilities below this are cut off (each tail then holds under 1e-19). */
  private static final double CUT = 1e-21;

  /** Probability that a slot gives its own value rather than its alias's. */
  private final double[] accept;

  /** Each slot's own value, k / scale. */
  private final float[] own;

  /** Each slot's alias value. */
  private final float[] other;

  private PoissonTable(double[] accept, float[] own, float[] other) {
    this.accept = accept;
    this.own = own;
    this.other = other;
  }

  /**
   * The table of one mean.
   *
   * @param lambda the mean, in (0, {@link #MAX_LAMBDA}]
   * @param scale what each variate k is divided by: values are {@code (float) (k / scale)}
   */
  static PoissonTable of(double lambda, double scale) {
    int mode = (int) Math.floor(lambda);
    double pMode = Math.exp(-lambda + mode * Math.log(lambda) - PoissonSampler.logFactorial(mode));
    int lo = mode;
    for (double p = pMode; lo > 0 && p >= CUT; lo--) {
      p *= lo / lambda; // p(lo - 1)
    }
    int hi = mode;
    for (double p = pMode; p >= CUT; hi++) {
      p *= lambda / (hi + 1); // p(hi + 1)
    }
    int n = hi - lo + 1;
    double[] q = new double[n]; // n x probability: the alias table's scaled weights
    q[mode - lo] = pMode;
    for (int k = mode; k > lo; k--) {
      q[k - 1 - lo] = q[k - lo] * k / lambda;
    }
    for (int k = mode; k < hi; k++) {
      q[k + 1 - lo] = q[k - lo] * lambda / (k + 1);
    }
    double sum = 0;
    for (double p : q) {
      sum += p;
    }
    for (int j = 0; j < n; j++) {
      q[j] *= n / sum;
    }
    return vose(lo, q, scale);
  }

  /** Vose's construction: each slot keeps its own index with probability accept, else its alias. */
  private static PoissonTable vose(int lo, double[] q, double scale) {
    int n = q.length;
    double[] accept = new double[n];
    int[] alias = new int[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int j = 0; j < n; j++) {
      if (q[j] < 1) {
        small[ns++] = j;
      } else {
        large[nl++] = j;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      accept[s] = q[s];
      alias[s] = l;
      q[l] = (q[l] + q[s]) - 1;
      if (q[l] < 1) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    while (nl > 0) { // left over: weight 1 up to rounding
      int l = large[--nl];
      accept[l] = 1;
      alias[l] = l;
    }
    while (ns > 0) {
      int s = small[--ns];
      accept[s] = 1;
      alias[s] = s;
    }
    float[] own = new float[n];
    float[] other = new float[n];
    for (int j = 0; j < n; j++) {
      own[j] = (float) ((lo + j) / scale);
      other[j] = (float) ((lo + alias[j]) / scale);
    }
    return new PoissonTable(accept, own, other);
  }

  /**
   * The variate for one uniform, divided by the scale.
   *
   * @param u uniform in [0, 1)
   */
  float sample(double u) {
    double s = u * accept.length;
    int j = Math.min((int) s, accept.length - 1); // u * n can round up to n for u just below 1
    return s - j < accept[j] ? own[j] : other[j];
  }
}
