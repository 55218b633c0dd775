package io.qrbench.quant;

import java.util.Arrays;

/**
 * One quantized weight tensor: what the network computes with, and what gets stored.
 *
 * <p>The arrays are shared, not copied, because weight tensors can be large and are produced
 * once and then only read; callers must treat them as immutable. {@link #equals} and
 * {@link #hashCode} compare contents, since reference equality of arrays is never what a value
 * comparison means.
 *
 * @param values the dequantized weights, one per input weight, in the input's order
 * @param codes one unsigned code per weight: ternary {@code t + 1} (-1, 0, +1 to 0, 1, 2);
 *     binary 0 (negative) or 1 (positive); uniform k-bit {@code q + 2^(k-1) - 1} in
 *     {@code [0, 2^k - 2]}
 * @param scales the fitted scales: one per group (1 for {@link Granularity#LAYER}, {@code
 *     channels} for {@link Granularity#CHANNEL}); for TTQ two per group, interleaved as {@code
 *     [Wp_0, Wn_0, Wp_1, Wn_1, ...]} with Wn stored as a magnitude (the value is {@code -Wn})
 * @param bits the nominal code width, {@code ceil(log2(levels))}: 1 binary, 2 ternary, k for
 *     uniform k-bit. The ternary packed form is denser (5 trits per byte, 1.6 bits per weight);
 *     {@link #packedBitsPerWeight()} gives that exact figure, which an int cannot hold
 * @param levels the number of distinct levels the scheme allows: 3 ternary, 2 binary, {@code
 *     2^k - 1} uniform k-bit
 */
public record Quantized(float[] values, byte[] codes, float[] scales, int bits, int levels) {

  /** Validates the shape invariants that packing and dequantization rely on. */
  public Quantized {
    if (values == null || codes == null || scales == null) {
      throw new IllegalArgumentException("values, codes and scales must not be null");
    }
    if (values.length != codes.length) {
      throw new IllegalArgumentException(
          "values (" + values.length + ") and codes (" + codes.length + ") differ in length");
    }
    if (levels < Packing.MIN_LEVELS || levels > Packing.MAX_LEVELS) {
      throw new IllegalArgumentException("levels must be in [2, 256], got " + levels);
    }
    if (bits != Packing.codeWidth(levels)) {
      throw new IllegalArgumentException(
          "bits " + bits + " does not match ceil(log2(" + levels + ")) = "
              + Packing.codeWidth(levels));
    }
  }

  /**
   * Relative squared error {@code ||w - values||^2 / ||w||^2}, accumulated in double.
   *
   * @return the error, or 0 when {@code w} is all zero (every quantizer here maps an all-zero
   *     tensor to zeros, so there is nothing to compare against)
   * @throws IllegalArgumentException if {@code w} has a different length
   */
  public double relativeError(float[] w) {
    if (w == null || w.length != values.length) {
      throw new IllegalArgumentException(
          "expected " + values.length + " weights, got " + (w == null ? "null" : w.length));
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < w.length; i++) {
      double d = (double) w[i] - values[i];
      num += d * d;
      den += (double) w[i] * w[i];
    }
    return den == 0 ? 0 : num / den;
  }

  /** Fraction of dequantized values equal to zero (sparsity); 0 for an empty tensor. */
  public double zeroFraction() {
    if (values.length == 0) {
      return 0;
    }
    long zeros = 0;
    for (float v : values) {
      if (v == 0f) {
        zeros++;
      }
    }
    return (double) zeros / values.length;
  }

  /**
   * Number of distinct floats in {@link #values()}; +0 and -0 count as one value because they
   * compare equal and multiply identically, so telling them apart would inflate the count.
   */
  public int distinctValues() {
    if (values.length == 0) {
      return 0;
    }
    float[] sorted = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      sorted[i] = values[i] == 0f ? 0f : values[i];
    }
    Arrays.sort(sorted);
    int distinct = 1;
    for (int i = 1; i < sorted.length; i++) {
      if (Float.compare(sorted[i], sorted[i - 1]) != 0) {
        distinct++;
      }
    }
    return distinct;
  }

  /** Exact storage cost of one weight in the packed form: 1.6 for ternary, else {@link #bits}. */
  public double packedBitsPerWeight() {
    return Packing.bitsPerWeight(levels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantized q
        && bits == q.bits
        && levels == q.levels
        && Arrays.equals(values, q.values)
        && Arrays.equals(codes, q.codes)
        && Arrays.equals(scales, q.scales);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(values);
    h = 31 * h + Arrays.hashCode(codes);
    h = 31 * h + Arrays.hashCode(scales);
    return 31 * (31 * h + bits) + levels;
  }

  @Override
  public String toString() {
    return "Quantized[count=" + values.length + ", scales=" + Arrays.toString(scales)
        + ", bits=" + bits + ", levels=" + levels + "]";
  }
}
