package io.qrbench.quantizers;

/**
 * How many scales a quantizer fits to one weight tensor.
 *
 * <p>Per-layer scaling is what the official TWN code does and costs a single float; per-channel
 * scaling (as in later PyTorch ports) lets channels with very different magnitudes keep their own
 * scale, which usually lowers the error at the price of {@code channels} floats.
 */
public enum Granularity {
  /** One scale (group) for the whole tensor. */
  LAYER,
  /** One scale (group) per output channel, i.e. per index of dimension 0. */
  CHANNEL;

  /**
   * Number of groups (scale sets) this granularity gives a tensor with {@code channels} output
   * channels.
   *
   * @throws IllegalArgumentException if {@code channels < 1}
   */
  public int groups(int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, got " + channels);
    }
    return this == LAYER ? 1 : channels;
  }

  /**
   * Checks the tensor contract shared by every quantizer: a non-empty array of finite floats whose
   * length is a multiple of {@code channels}. Non-finite weights are refused up front because NaN
   * breaks every comparison the thresholds rely on and would be silently zeroed.
   */
  static void checkTensor(float[] w, int channels) {
    if (w == null) {
      throw new IllegalArgumentException("weights must not be null");
    }
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, got " + channels);
    }
    if (w.length == 0) {
      throw new IllegalArgumentException("weights must not be empty");
    }
    if (w.length % channels != 0) {
      throw new IllegalArgumentException(
          "weight count " + w.length + " is not divisible by channels " + channels);
    }
    checkFinite(w, 0, w.length);
  }

  /** Checks that {@code [from, to)} is a valid range of {@code w} holding only finite floats. */
  static void checkSlice(float[] w, int from, int to) {
    if (w == null) {
      throw new IllegalArgumentException("weights must not be null");
    }
    if (from < 0 || to > w.length || from > to) {
      throw new IllegalArgumentException(
          "bad slice [" + from + ", " + to + ") of an array of length " + w.length);
    }
    checkFinite(w, from, to);
  }

  private static void checkFinite(float[] w, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(w[i])) {
        throw new IllegalArgumentException("weight " + i + " is not finite: " + w[i]);
      }
    }
  }
}
