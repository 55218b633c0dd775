package io.qrbench.quantizers;

import io.qrbench.spi.packed.Decoding;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.spi.packed.Packing;
import java.util.Arrays;

/**
 * One quantized weight tensor: its codes, the {@link Decoding} that turns them into floats, and the
 * values the network computes with, which are always that decoding of those codes. So a tensor
 * packed from it ({@link #pack}) reads back bit for bit, whoever wrote the quantizer.
 *
 * <p>The arrays are shared, not copied, because weight tensors can be large and are produced once
 * and then only read; callers must treat them as immutable. {@link #equals} and {@link #hashCode}
 * compare contents.
 */
public final class Quantized {
  private final float[] values;
  private final byte[] codes;
  private final Decoding decoding;
  private final float[] scales;

  private Quantized(byte[] codes, Decoding decoding, float[] scales) {
    this.codes = codes;
    this.decoding = decoding;
    this.scales = scales;
    this.values = decoding.decode(codes);
  }

  /**
   * Codes and their decoding; the values are the decoding of the codes, and the size of the tensor
   * counts every float the decoding stores.
   *
   * @param codes one unsigned code per weight, each below the decoding's levels
   * @throws IllegalArgumentException for a raw decoding, a code out of range, or codes that do not
   *     split into the decoding's groups
   */
  public static Quantized of(byte[] codes, Decoding decoding) {
    if (decoding == null) {
      throw new IllegalArgumentException("decoding must not be null");
    }
    float[] all = new float[decoding.floats()];
    System.arraycopy(decoding.codebook(), 0, all, 0, decoding.codebook().length);
    System.arraycopy(
        decoding.scales(), 0, all, decoding.codebook().length, decoding.scales().length);
    System.arraycopy(
        decoding.zeros(), 0, all, all.length - decoding.zeros().length, decoding.zeros().length);
    return of(codes, decoding, all);
  }

  /**
   * Codes and their decoding, with the scales the quantizer fitted: these are what {@link
   * #packedBytes()} counts, as a quantizer's storage is usually described (TWN: one {@code alpha}
   * per group, even though its file stores it as a grid with a scale).
   */
  public static Quantized of(byte[] codes, Decoding decoding, float[] scales) {
    if (codes == null || decoding == null || scales == null) {
      throw new IllegalArgumentException("codes, decoding and scales must not be null");
    }
    if (decoding.isRaw()) {
      throw new IllegalArgumentException("a quantized tensor has codes; a raw decoding has none");
    }
    return new Quantized(codes, decoding, scales);
  }

  /** The dequantized weights, one per input weight, in the input's order. */
  public float[] values() {
    return values;
  }

  /** One unsigned code per weight. */
  public byte[] codes() {
    return codes;
  }

  /** How the codes become {@link #values()}. */
  public Decoding decoding() {
    return decoding;
  }

  /**
   * The fitted scales: for the built-ins one per group, for TTQ two per group interleaved as {@code
   * [Wp_0, Wn_0, Wp_1, Wn_1, ...]} (Wn a magnitude).
   */
  public float[] scales() {
    return scales;
  }

  /**
   * The number of distinct codes the scheme allows: 3 ternary, 2 binary, {@code 2^k - 1} uniform
   * k-bit.
   */
  public int levels() {
    return decoding.levels();
  }

  /**
   * The nominal code width, {@code ceil(log2(levels))}; {@link #packedBitsPerWeight()} is exact.
   */
  public int bits() {
    return Packing.codeWidth(levels());
  }

  /** Exact storage cost of one weight in the packed form: 1.6 for ternary, else {@link #bits}. */
  public double packedBitsPerWeight() {
    return Packing.bitsPerWeight(levels());
  }

  /** Bytes of the packed codes plus 4 per {@link #scales()} entry. */
  public long packedBytes() {
    return Packing.packedBytes(codes.length, levels(), scales.length);
  }

  /** The packed form of this tensor, as {@link io.qrbench.spi.Quantizer#pack} returns it. */
  public PackedTensor pack(String name, int[] shape, String label) {
    return PackedTensor.of(name, shape, label, codes, decoding);
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

  /** Number of distinct floats in {@link #values()}, see {@link #distinctValues(float[])}. */
  public int distinctValues() {
    return distinctValues(values);
  }

  /**
   * Number of distinct floats in {@code values}; +0 and -0 count as one value because they compare
   * equal and multiply identically, so telling them apart would inflate the count.
   */
  public static int distinctValues(float[] values) {
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

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantized q
        && decoding.equals(q.decoding)
        && Arrays.equals(values, q.values)
        && Arrays.equals(codes, q.codes)
        && Arrays.equals(scales, q.scales);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(values);
    h = 31 * h + Arrays.hashCode(codes);
    h = 31 * h + Arrays.hashCode(scales);
    return 31 * h + decoding.hashCode();
  }

  @Override
  public String toString() {
    return "Quantized[count="
        + values.length
        + ", scales="
        + Arrays.toString(scales)
        + ", "
        + decoding
        + "]";
  }
}
