package io.qrbench.quantizers;

import io.qrbench.spi.packed.Decoding;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ternary weights: TWN (Li and Liu 2016) and TTQ (Zhu et al. 2016).
 *
 * <p>Both map each weight to one of three levels by a threshold {@code delta}: above it the
 * positive level, below {@code -delta} the negative level, otherwise zero. TWN uses one symmetric
 * scale {@code alpha}; TTQ uses two trained scales {@code Wp} and {@code Wn}.
 *
 * <p>Codes are {@code t + 1}: {@link #CODE_NEGATIVE} = 0, {@link #CODE_ZERO} = 1, {@link
 * #CODE_POSITIVE} = 2, so they are non-negative and pack as base-3 digits. TWN decodes as the grid
 * {@code (c - 1) * alpha} ({@link Decoding#grid}); TTQ as one codebook {@code {0 - Wn, 0, Wp}} per
 * group ({@link Decoding#codebookPerGroup}), which keeps any trained Wn, zero or negative included,
 * exactly as it computes.
 */
public final class Ternary {

  /** TWN's threshold factor: {@code delta = 0.7 * mean|w|}. */
  public static final double TWN_FACTOR = 0.7;

  /** TTQ's default threshold factor: {@code delta = 0.05 * max|w|}. */
  public static final double TTQ_THRESHOLD = 0.05;

  /** Code of a weight quantized to the negative level. */
  public static final byte CODE_NEGATIVE = 0;

  /** Code of a weight quantized to zero. */
  public static final byte CODE_ZERO = 1;

  /** Code of a weight quantized to the positive level. */
  public static final byte CODE_POSITIVE = 2;

  /** Levels of a ternary scheme. */
  public static final int LEVELS = 3;

  private Ternary() {}

  /**
   * TWN's approximate threshold, {@code factor * mean|w|} over {@code [from, to)}.
   *
   * @return the threshold, 0 for an empty slice
   * @throws IllegalArgumentException for a bad range, non-finite weights or a negative factor
   */
  public static float deltaFactor(float[] slice, int from, int to, double factor) {
    Granularity.checkSlice(slice, from, to);
    if (!Double.isFinite(factor) || factor < 0) {
      throw new IllegalArgumentException("factor must be finite and >= 0, got " + factor);
    }
    if (from == to) {
      return 0f;
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += Math.abs(slice[i]);
    }
    return (float) (factor * (sum / (to - from)));
  }

  /**
   * The exact maximiser over delta of {@code (sum over I_delta |w_i|)^2 / |I_delta|}, with {@code
   * I_delta = {i : |w_i| > delta}}, over {@code [from, to)}.
   *
   * <p>Since {@code ||w - alpha t||^2 = ||w||^2 - S^2/|I|} at the best alpha, maximising this
   * objective minimises the ternary error. Only threshold sets are reachable, so the candidates are
   * "the k largest |w|" for the k at which the k-th largest is strictly greater than the (k+1)-th:
   * a set that would split a run of equal magnitudes cannot be produced by any delta. One
   * descending sort plus a prefix-sum scan gives O(n log n).
   *
   * @return a delta whose threshold set is exactly the best set: the (k+1)-th largest |w|, or 0
   *     when the best set is every non-zero weight. Among equal scores the smallest set (largest
   *     delta, sparsest result) wins. 0 for an empty or all-zero slice (then I_delta is empty).
   * @throws IllegalArgumentException for a bad range or non-finite weights
   */
  public static float deltaOptimal(float[] w, int from, int to) {
    Granularity.checkSlice(w, from, to);
    int n = to - from;
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = Math.abs(w[from + i]);
    }
    Arrays.sort(a); // ascending: the k-th largest is a[n - k]
    double prefix = 0;
    double best = -1;
    float bestDelta = 0f;
    for (int k = 1; k <= n; k++) {
      float kth = a[n - k];
      prefix += kth;
      // For k = n the next magnitude is taken as 0: delta = 0 is the smallest threshold, and it
      // reaches the whole slice only when the smallest magnitude is non-zero.
      float next = k < n ? a[n - k - 1] : 0f;
      if (kth > next) {
        double score = prefix * prefix / k;
        if (score > best) {
          best = score;
          bestDelta = next;
        }
      }
    }
    return bestDelta;
  }

  /**
   * The TWN objective {@code (sum over I_delta |w|)^2 / |I_delta|} over {@code [from, to)}.
   *
   * @return the objective, 0 when I_delta is empty
   * @throws IllegalArgumentException for a bad range, non-finite weights or a NaN delta
   */
  public static double objective(float[] w, int from, int to, float delta) {
    Granularity.checkSlice(w, from, to);
    if (Float.isNaN(delta)) {
      throw new IllegalArgumentException("delta must not be NaN");
    }
    double sum = 0;
    int count = 0;
    for (int i = from; i < to; i++) {
      float a = Math.abs(w[i]);
      if (a > delta) {
        sum += a;
        count++;
      }
    }
    return count == 0 ? 0 : sum * sum / count;
  }

  /**
   * Ternary weight networks: per group, delta by {@code rule}, {@code alpha = mean |w_i|} over
   * I_delta (the least-squares scale for that delta), and values {@code +alpha / 0 / -alpha}. A
   * group whose I_delta is empty gets {@code alpha = 0} and all zeros.
   *
   * @return codes {@code t + 1}, one scale per group, bits 2, levels 3
   */
  public static Quantized twn(float[] w, int channels, Granularity g, DeltaRule rule) {
    Granularity.checkTensor(w, channels);
    Objects.requireNonNull(g, "granularity");
    Objects.requireNonNull(rule, "rule");
    int groups = g.groups(channels);
    int per = w.length / groups;
    byte[] codes = new byte[w.length];
    float[] scales = new float[groups];
    for (int gi = 0; gi < groups; gi++) {
      int from = gi * per;
      int to = from + per;
      float delta = rule.delta(w, from, to);
      double sum = 0;
      int count = 0;
      for (int i = from; i < to; i++) {
        float a = Math.abs(w[i]);
        if (a > delta) {
          sum += a;
          count++;
        }
      }
      float alpha = count == 0 ? 0f : (float) (sum / count);
      scales[gi] = alpha;
      assign(w, from, to, delta, codes);
    }
    // (c - 1) * alpha: -alpha, 0, +alpha (alpha > 0 whenever a code is not zero)
    return Quantized.of(codes, Decoding.grid(LEVELS, CODE_ZERO, scales), scales);
  }

  /**
   * TTQ's threshold, {@code thresholdFactor * max|w|} over {@code [from, to)}; exposed so that a
   * trainer can rebuild the same masks for the gradients.
   *
   * @throws IllegalArgumentException for a bad range, non-finite weights or a factor outside {@code
   *     [0, 1]}
   */
  public static float deltaTtq(float[] w, int from, int to, double thresholdFactor) {
    Granularity.checkSlice(w, from, to);
    checkThreshold(thresholdFactor);
    return ttqDelta(w, from, to, thresholdFactor);
  }

  /**
   * Trained ternary quantization: per group, {@code delta = thresholdFactor * max|w|}, values
   * {@code +Wp} where {@code w > delta}, {@code -Wn} where {@code w < -delta}, 0 otherwise.
   *
   * @param positiveScales Wp, one per group (1 for LAYER, {@code channels} for CHANNEL)
   * @param negativeScales Wn as magnitudes, one per group
   * @return codes {@code t + 1}; scales interleaved {@code [Wp_0, Wn_0, Wp_1, Wn_1, ...]}; bits 2,
   *     levels 3
   */
  public static Quantized ttq(
      float[] w,
      int channels,
      Granularity g,
      double thresholdFactor,
      float[] positiveScales,
      float[] negativeScales) {
    Granularity.checkTensor(w, channels);
    Objects.requireNonNull(g, "granularity");
    checkThreshold(thresholdFactor);
    int groups = g.groups(channels);
    checkScales("positiveScales", positiveScales, groups);
    checkScales("negativeScales", negativeScales, groups);
    int per = w.length / groups;
    byte[] codes = new byte[w.length];
    float[] scales = new float[2 * groups];
    float[] book = new float[LEVELS * groups];
    for (int gi = 0; gi < groups; gi++) {
      int from = gi * per;
      int to = from + per;
      float delta = ttqDelta(w, from, to, thresholdFactor);
      scales[2 * gi] = positiveScales[gi];
      scales[2 * gi + 1] = negativeScales[gi];
      assign(w, from, to, delta, codes);
      // 0f - Wn rather than -Wn keeps a zero scale at +0
      book[LEVELS * gi + CODE_NEGATIVE] = 0f - negativeScales[gi];
      book[LEVELS * gi + CODE_ZERO] = 0f;
      book[LEVELS * gi + CODE_POSITIVE] = positiveScales[gi];
    }
    return Quantized.of(codes, Decoding.codebookPerGroup(LEVELS, book), scales);
  }

  /**
   * Data-driven starting values for TTQ's scales, so fine-tuning starts at the TWN-style
   * least-squares fit of each side instead of the paper's constant 1.0 (which is orders of
   * magnitude off for typical conv weights of size ~0.05).
   *
   * <p>Per group with {@code delta = thresholdFactor * max|w|}: {@code Wp} = mean of w over {@code
   * w > delta}, {@code Wn} = mean of |w| over {@code w < -delta}. A side with no weights takes the
   * other side's value, so it is neither 0 (which would collapse a later-populated region and
   * starve its gradient) nor on an unrelated scale; when both sides are empty (an all-zero group,
   * or a factor of 1) both are 1.0, the paper's initial value.
   *
   * @return {@code {Wp[], Wn[]}}, each of length 1 (LAYER) or {@code channels} (CHANNEL), all
   *     strictly positive
   */
  public static float[][] ttqInitialScales(
      float[] w, int channels, Granularity g, double thresholdFactor) {
    Granularity.checkTensor(w, channels);
    Objects.requireNonNull(g, "granularity");
    checkThreshold(thresholdFactor);
    int groups = g.groups(channels);
    int per = w.length / groups;
    float[] wp = new float[groups];
    float[] wn = new float[groups];
    for (int gi = 0; gi < groups; gi++) {
      int from = gi * per;
      int to = from + per;
      float delta = ttqDelta(w, from, to, thresholdFactor);
      double sumP = 0;
      double sumN = 0;
      int countP = 0;
      int countN = 0;
      for (int i = from; i < to; i++) {
        if (w[i] > delta) {
          sumP += w[i];
          countP++;
        } else if (w[i] < -delta) {
          sumN -= w[i];
          countN++;
        }
      }
      float p = countP == 0 ? 0f : (float) (sumP / countP);
      float m = countN == 0 ? 0f : (float) (sumN / countN);
      if (countP == 0 && countN == 0) {
        p = 1f;
        m = 1f;
      } else if (countP == 0) {
        p = m;
      } else if (countN == 0) {
        m = p;
      }
      wp[gi] = p;
      wn[gi] = m;
    }
    return new float[][] {wp, wn};
  }

  private static void assign(float[] w, int from, int to, float delta, byte[] codes) {
    for (int i = from; i < to; i++) {
      codes[i] = w[i] > delta ? CODE_POSITIVE : w[i] < -delta ? CODE_NEGATIVE : CODE_ZERO;
    }
  }

  /**
   * Each group's largest |w|, the unit in which TTQ trains its scales (the paper normalises the
   * latent weights to [-1, 1]); 1 for a group that is all zeros, so dividing by it is safe.
   */
  public static float[] groupMaxAbs(float[] w, int channels, Granularity g) {
    Granularity.checkTensor(w, channels);
    int groups = g.groups(channels);
    int per = w.length / groups;
    float[] out = new float[groups];
    for (int gi = 0; gi < groups; gi++) {
      float max = maxAbs(w, gi * per, (gi + 1) * per);
      out[gi] = max > 0 ? max : 1f;
    }
    return out;
  }

  private static float ttqDelta(float[] w, int from, int to, double thresholdFactor) {
    return (float) (thresholdFactor * maxAbs(w, from, to));
  }

  private static float maxAbs(float[] w, int from, int to) {
    float max = 0f;
    for (int i = from; i < to; i++) {
      max = Math.max(max, Math.abs(w[i]));
    }
    return max;
  }

  private static void checkThreshold(double t) {
    if (!(t >= 0 && t <= 1)) {
      throw new IllegalArgumentException("threshold factor must be in [0, 1], got " + t);
    }
  }

  private static void checkScales(String name, float[] s, int groups) {
    if (s == null || s.length != groups) {
      throw new IllegalArgumentException(
          name + " must hold " + groups + " scale(s), got " + (s == null ? "null" : s.length));
    }
    for (int i = 0; i < s.length; i++) {
      if (!Float.isFinite(s[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + s[i]);
      }
    }
  }
}
