package io.qrbench.quantizers;

import io.qrbench.spi.packed.Decoding;
import java.util.Objects;

/**
 * Binary weight networks (BWN, Rastegari et al. 2016): {@code alpha * sign(w)} with {@code alpha =
 * mean|w|}, the least-squares scale for fixed signs.
 *
 * <p>{@code sign(0) = +1} (also for -0): a binary code has no zero level, and sending exact zeros
 * up keeps the rule a plain {@code w >= 0} test that matches {@code Math.signum}-free kernels.
 * Codes: {@link #CODE_NEGATIVE} = 0, {@link #CODE_POSITIVE} = 1, decoded by one codebook {@code {0
 * - alpha, alpha}} per group ({@code 0f - alpha} keeps alpha = 0 at +0).
 */
public final class Binary {

  /** Code of a weight quantized to {@code -alpha}. */
  public static final byte CODE_NEGATIVE = 0;

  /** Code of a weight quantized to {@code +alpha}. */
  public static final byte CODE_POSITIVE = 1;

  /** Levels of a binary scheme. */
  public static final int LEVELS = 2;

  private Binary() {}

  /**
   * Binarizes {@code w} with one {@code alpha = mean|w|} per group.
   *
   * @return codes 0/1, one scale per group, bits 1, levels 2; an all-zero group gets alpha 0 and
   *     values +0
   */
  public static Quantized bwn(float[] w, int channels, Granularity g) {
    Granularity.checkTensor(w, channels);
    Objects.requireNonNull(g, "granularity");
    int groups = g.groups(channels);
    int per = w.length / groups;
    byte[] codes = new byte[w.length];
    float[] scales = new float[groups];
    float[] book = new float[LEVELS * groups];
    for (int gi = 0; gi < groups; gi++) {
      int from = gi * per;
      int to = from + per;
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += Math.abs(w[i]);
      }
      float alpha = (float) (sum / per);
      scales[gi] = alpha;
      book[LEVELS * gi + CODE_NEGATIVE] = 0f - alpha;
      book[LEVELS * gi + CODE_POSITIVE] = alpha;
      for (int i = from; i < to; i++) {
        codes[i] = w[i] >= 0f ? CODE_POSITIVE : CODE_NEGATIVE;
      }
    }
    return Quantized.of(codes, Decoding.codebookPerGroup(LEVELS, book), scales);
  }
}
