package io.qrbench.reports.stats;

import io.qrbench.result.CaseResult;
import java.util.Base64;
import java.util.BitSet;

/**
 * Two models compared image by image on the same images: the paired 2x2 table of top-1 outcomes,
 * the accuracy difference B - A with a 95% confidence interval, and McNemar's test.
 *
 * <p>The interval is Newcombe's method 10 (Newcombe 1998, "Improved confidence intervals for the
 * difference between binomial proportions based on paired data", Stat Med 17:2635): Wilson score
 * intervals for the two accuracies combined with the observed correlation of the outcomes (taken as
 * 0 when a margin of the table is empty). Unlike the Wald interval it stays inside [-100, 100], has
 * non-zero width when both models score 0% or 100%, and needs no continuity correction. For the
 * table 36/12/2/0 it gives 0.0569 to 0.3404, as in the paper.
 *
 * <p>McNemar's test is always the exact one: a two-sided binomial test of the discordant pairs
 * against p = 1/2 (twice the smaller tail, capped at 1). The tail is summed in log space, so it is
 * exact and finite for any count; for large counts it agrees with the chi-square test with
 * continuity correction, which is therefore never needed.
 *
 * @param n images compared
 * @param bothCorrect images both models got right
 * @param onlyA images only A got right
 * @param onlyB images only B got right
 * @param neither images both got wrong
 */
public record PairedComparison(int n, int bothCorrect, int onlyA, int onlyB, int neither) {

  /** The conventional significance level of {@link #significant()}. */
  public static final double ALPHA = 0.05;

  private static final double Z95 = 1.959963984540054;
  private static final double LN2 = Math.log(2);

  public PairedComparison {
    if (bothCorrect < 0 || onlyA < 0 || onlyB < 0 || neither < 0) {
      throw new IllegalArgumentException(
          "counts must not be negative: "
              + bothCorrect
              + ", "
              + onlyA
              + ", "
              + onlyB
              + ", "
              + neither);
    }
    if ((long) bothCorrect + onlyA + onlyB + neither != n) {
      throw new IllegalArgumentException(
          "counts "
              + bothCorrect
              + " + "
              + onlyA
              + " + "
              + onlyB
              + " + "
              + neither
              + " do not add up to n = "
              + n);
    }
    if (n == 0) {
      throw new IllegalArgumentException("no images to compare");
    }
  }

  /** A confidence interval, in percentage points. */
  public record Interval(double low, double high) {
    /** True when {@code x} lies in the interval, ends included. */
    public boolean contains(double x) {
      return low <= x && x <= high;
    }
  }

  /**
   * Compares outcome bit sets (bit i set: image i's top prediction was right) over {@code images}
   * images.
   *
   * @throws IllegalArgumentException when a bit at or beyond {@code images} is set
   */
  public static PairedComparison of(BitSet a, BitSet b, int images) {
    if (a.length() > images || b.length() > images) {
      throw new IllegalArgumentException(
          "outcomes name image "
              + (Math.max(a.length(), b.length()) - 1)
              + " but only "
              + images
              + " images were compared");
    }
    BitSet both = (BitSet) a.clone();
    both.and(b);
    int both1 = both.cardinality();
    int onlyA = a.cardinality() - both1;
    int onlyB = b.cardinality() - both1;
    return new PairedComparison(images, both1, onlyA, onlyB, images - both1 - onlyA - onlyB);
  }

  /**
   * Compares two results' base64 outcomes ({@link io.qrbench.result.Metrics#outcomes()}).
   *
   * @throws IllegalArgumentException when the image counts differ (naming both) or an outcome
   *     string is not valid
   */
  public static PairedComparison ofOutcomes(
      String outcomesA, int imagesA, String outcomesB, int imagesB) {
    if (imagesA != imagesB) {
      throw new IllegalArgumentException(
          "image counts differ: A has "
              + imagesA
              + " images, B has "
              + imagesB
              + "; a paired comparison needs both models scored on the same images");
    }
    return of(decode(outcomesA, imagesA), decode(outcomesB, imagesB), imagesA);
  }

  /**
   * Compares two finished cases: A is {@code a}, B is {@code b}.
   *
   * @throws IllegalArgumentException when a case has no metrics or no per-image outcomes, or the
   *     image counts differ; the message names both cases
   */
  public static PairedComparison of(CaseResult a, CaseResult b) {
    for (CaseResult c : new CaseResult[] {a, b}) {
      if (c.metrics() == null || c.metrics().outcomes() == null) {
        throw new IllegalArgumentException("case '" + c.id() + "' has no per-image outcomes");
      }
    }
    int na = a.metrics().images();
    int nb = b.metrics().images();
    if (na != nb) {
      throw new IllegalArgumentException(
          "image counts differ: case '"
              + a.id()
              + "' has "
              + na
              + " images, case '"
              + b.id()
              + "' has "
              + nb
              + "; a paired comparison needs both scored on the same images");
    }
    return of(within(a.metrics().outcomes(), na), within(b.metrics().outcomes(), nb), na);
  }

  /** The outcomes' bits, when they name no image past the last. */
  private static BitSet within(io.qrbench.result.Outcomes outcomes, int images) {
    if (outcomes.span() > images) {
      throw new IllegalArgumentException(
          "outcomes mark image "
              + (outcomes.span() - 1)
              + " correct but there are only "
              + images
              + " images");
    }
    return outcomes.correct();
  }

  /**
   * Decodes a base64 outcome bit set: image i is bit (i % 8) of byte i / 8. Trailing zero bytes may
   * be missing (as {@link BitSet#toByteArray()} drops them), so the empty string means no image was
   * right.
   *
   * @throws IllegalArgumentException when it is not base64 or sets a bit at or beyond {@code
   *     images}
   */
  public static BitSet decode(String base64, int images) {
    BitSet bits;
    try {
      bits = BitSet.valueOf(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("outcomes are not valid base64: " + e.getMessage(), e);
    }
    if (bits.length() > images) {
      throw new IllegalArgumentException(
          "outcomes mark image "
              + (bits.length() - 1)
              + " correct but there are only "
              + images
              + " images");
    }
    return bits;
  }

  /** A's top-1 accuracy, percent. */
  public double accuracyA() {
    return 100.0 * (bothCorrect + onlyA) / n;
  }

  /** B's top-1 accuracy, percent. */
  public double accuracyB() {
    return 100.0 * (bothCorrect + onlyB) / n;
  }

  /** B's accuracy minus A's, percentage points. */
  public double difference() {
    return 100.0 * (onlyB - onlyA) / n;
  }

  /** Discordant pairs: images exactly one model got right. */
  public int discordant() {
    return onlyA + onlyB;
  }

  /** The 95% confidence interval of {@link #difference()} (Newcombe's method 10), points. */
  public Interval differenceInterval() {
    // B plays Newcombe's first proportion, so the interval is for pB - pA.
    double pb = (double) (bothCorrect + onlyB) / n;
    double pa = (double) (bothCorrect + onlyA) / n;
    double[] wb = wilson(bothCorrect + onlyB, n);
    double[] wa = wilson(bothCorrect + onlyA, n);
    double phi = correlation();
    double dLow =
        Math.sqrt(
            Math.max(0, sq(pb - wb[0]) - 2 * phi * (pb - wb[0]) * (wa[1] - pa) + sq(wa[1] - pa)));
    double dHigh =
        Math.sqrt(
            Math.max(0, sq(wb[1] - pb) - 2 * phi * (wb[1] - pb) * (pa - wa[0]) + sq(pa - wa[0])));
    double theta = pb - pa;
    return new Interval(100 * Math.max(-1, theta - dLow), 100 * Math.min(1, theta + dHigh));
  }

  /** McNemar's exact two-sided p-value: the discordant pairs tested against an even split. */
  public double mcNemarP() {
    int m = onlyA + onlyB;
    int k = Math.min(onlyA, onlyB);
    if (2 * k + 1 >= m) {
      return 1; // the smaller tail holds half the mass or more; m = 0 included
    }
    // P(X <= k), X ~ Bin(m, 1/2): the terms grow with i up to k < m/2, so sum them relative to
    // the largest, walking down; then scale by C(m, k) / 2^m in log space.
    double sum = 1;
    double term = 1;
    for (int i = k; i > 0 && term > 1e-18 * sum; i--) {
      term *= (double) i / (m - i + 1);
      sum += term;
    }
    double logTail = logChoose(m, k) - m * LN2 + Math.log(sum);
    return Math.min(1, 2 * Math.exp(logTail));
  }

  /** True when McNemar's p-value is below {@link #ALPHA}. */
  public boolean significant() {
    return significant(ALPHA);
  }

  /** True when McNemar's p-value is below {@code alpha}. */
  public boolean significant(double alpha) {
    return mcNemarP() < alpha;
  }

  /** Phi, the correlation of the two models' outcomes; 0 when a margin is empty. */
  private double correlation() {
    double rowB1 = bothCorrect + onlyB;
    double rowB0 = onlyA + neither;
    double colA1 = bothCorrect + onlyA;
    double colA0 = onlyB + neither;
    double denominator = rowB1 * rowB0 * colA1 * colA0;
    if (denominator == 0) {
      return 0;
    }
    return ((double) bothCorrect * neither - (double) onlyA * onlyB) / Math.sqrt(denominator);
  }

  /**
   * The 95% Wilson score interval of one accuracy, {@code correct} of {@code n}, in percent (Wilson
   * 1927): unlike the normal approximation it stays in [0, 100] and is not empty at 0% or 100%,
   * where robust accuracy under strong attacks often lies. {@code n} must be positive.
   */
  public static Interval accuracyInterval(int correct, int n) {
    if (n <= 0 || correct < 0 || correct > n) {
      throw new IllegalArgumentException(correct + " correct of " + n + " images");
    }
    double[] w = wilson(correct, n);
    return new Interval(100 * w[0], 100 * w[1]);
  }

  /** Wilson's score interval for x successes in n, as proportions. */
  private static double[] wilson(int x, int n) {
    double p = (double) x / n;
    double z2 = Z95 * Z95;
    double centre = p + z2 / (2 * n);
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    double scale = 1 + z2 / n;
    return new double[] {
      Math.max(0, (centre - half) / scale), Math.min(1, (centre + half) / scale)
    };
  }

  private static double logChoose(int m, int k) {
    double s = 0;
    for (int i = 1; i <= k; i++) {
      s += Math.log((double) (m - k + i) / i);
    }
    return s;
  }

  private static double sq(double x) {
    return x * x;
  }
}
