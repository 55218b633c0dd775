package io.qrbench.quantizers;

import io.qrbench.spi.packed.Decoding;
import java.util.Objects;

/**
 * Symmetric uniform k-bit quantization: {@code value = q * s} with integer {@code q in [-(2^(k-1) -
 * 1), 2^(k-1) - 1]}.
 *
 * <p>The range is symmetric (the most negative two's-complement value is left unused) so that zero
 * is exact and {@code +max|w|} and {@code -max|w|} are both representable; that gives {@code 2^k -
 * 1} levels. Codes are the offset {@code q + 2^(k-1) - 1}, in {@code [0, 2^k - 2]}, so they are
 * non-negative and pack at k bits, and decode as the grid {@code (c - qmax) * s} ({@link
 * Decoding#grid}).
 */
public final class Uniform {

  /** Smallest supported width: 2 bits, i.e. the levels {-s, 0, s}. */
  public static final int MIN_BITS = 2;

  /** Largest supported width: codes must fit one unsigned byte. */
  public static final int MAX_BITS = 8;

  private Uniform() {}

  /**
   * Quantizes {@code w} with one scale {@code s = max|w| / (2^(bits-1) - 1)} per group and {@code q
   * = clamp(round_half_away_from_zero(w / s))}. An all-zero group gets {@code s = 0}, {@code q = 0}
   * and values 0.
   *
   * <p>For every weight {@code |w - q*s| <= s/2} up to float rounding of the product, except for
   * groups whose {@code max|w|} is so deep in the subnormal range that {@code s} underflows to 0
   * (then the whole group is 0).
   *
   * @param bits code width in {@code [2, 8]}
   * @return offset codes, one scale per group, bits {@code bits}, levels {@code 2^bits - 1}
   * @throws IllegalArgumentException for bits outside {@code [2, 8]} or a bad tensor
   */
  public static Quantized symmetric(float[] w, int channels, Granularity g, int bits) {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException("bits must be in [2, 8], got " + bits);
    }
    Granularity.checkTensor(w, channels);
    Objects.requireNonNull(g, "granularity");
    int qmax = qmax(bits);
    int groups = g.groups(channels);
    int per = w.length / groups;
    byte[] codes = new byte[w.length];
    float[] scales = new float[groups];
    for (int gi = 0; gi < groups; gi++) {
      int from = gi * per;
      int to = from + per;
      float max = 0f;
      for (int i = from; i < to; i++) {
        max = Math.max(max, Math.abs(w[i]));
      }
      float s = (float) ((double) max / qmax);
      scales[gi] = s;
      for (int i = from; i < to; i++) {
        int q = 0;
        if (s != 0f) {
          double r = roundHalfAwayFromZero((double) w[i] / s);
          q = (int) Math.max(-qmax, Math.min(qmax, r));
        }
        codes[i] = (byte) (q + qmax);
      }
    }
    return Quantized.of(codes, Decoding.grid(2 * qmax + 1, qmax, scales), scales);
  }

  /** The largest |q| at {@code bits} bits: {@code 2^(bits-1) - 1}. */
  public static int qmax(int bits) {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException("bits must be in [2, 8], got " + bits);
    }
    return (1 << (bits - 1)) - 1;
  }

  /**
   * Rounds half away from zero (0.5 to 1, -2.5 to -3), the rule most hardware and papers mean by
   * "round". Computed as floor plus an exact fractional test rather than {@code floor(|x| + 0.5)},
   * which rounds 0.49999999999999994 up because the sum rounds to 1.
   */
  public static double roundHalfAwayFromZero(double x) {
    double a = Math.abs(x);
    double f = Math.floor(a);
    if (a - f >= 0.5) {
      f += 1.0;
    }
    return Math.copySign(f, x);
  }
}
