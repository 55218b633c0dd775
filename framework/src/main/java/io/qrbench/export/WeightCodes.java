package io.qrbench.export;

/**
 * A kernel as int8 codes with one positive scale per output channel: weight = scale[c] x code. For
 * a quantizer whose values per channel are integer multiples of one step (ternary {-a, 0, a},
 * binary {-a, a}, symmetric k-bit), the codes are the quantizer's own integers and the kernel is
 * exact; otherwise (full-precision layers, asymmetric codebooks such as TTQ's {-Wn, 0, Wp}) each
 * channel takes the step of at most 127 levels that represents it best, and {@link #maxError} says
 * how far that is from the kernel.
 *
 * @param codes one per weight, row-major with output channels first
 * @param scales one per output channel, positive
 * @param levels per channel, the largest |code|
 * @param exact whether every weight equals scale x code to float precision
 * @param maxError the largest |weight - scale x code| over the kernel
 * @param maxAbs the largest |weight|, to put maxError in proportion
 */
record WeightCodes(
    byte[] codes, float[] scales, int[] levels, boolean exact, double maxError, double maxAbs) {

  /** A relative error this small is float rounding, not quantization: the codes are exact. */
  static final double EXACT = 1e-6;

  /**
   * The codes of {@code kernel}, output channel by channel.
   *
   * @param kernel the kernel, output channels first
   * @param channels output channels
   */
  static WeightCodes of(float[] kernel, int channels) {
    int per = kernel.length / channels;
    byte[] codes = new byte[kernel.length];
    float[] scales = new float[channels];
    int[] levels = new int[channels];
    boolean exact = true;
    double maxError = 0;
    double maxAbs = 0;
    for (int c = 0; c < channels; c++) {
      int from = c * per;
      double a = 0;
      for (int i = from; i < from + per; i++) {
        a = Math.max(a, Math.abs(kernel[i]));
      }
      maxAbs = Math.max(maxAbs, a);
      if (a == 0) { // an all-zero channel: any positive scale
        scales[c] = 1;
        continue;
      }
      // the fewest levels that hold the channel exactly, else the levels that hold it best
      int best = 127;
      double bestError = Double.POSITIVE_INFINITY;
      for (int m = 1; m <= 127; m++) {
        double err = error(kernel, from, per, a / m);
        if (err <= EXACT * a) {
          best = m;
          bestError = err;
          break;
        }
        if (err < bestError) {
          best = m;
          bestError = err;
        }
      }
      double step = a / best;
      for (int i = from; i < from + per; i++) {
        codes[i] = (byte) Math.round(kernel[i] / step);
      }
      scales[c] = (float) step;
      levels[c] = best;
      exact &= bestError <= EXACT * a;
      maxError = Math.max(maxError, bestError);
    }
    return new WeightCodes(codes, scales, levels, exact, maxError, maxAbs);
  }

  private static double error(float[] kernel, int from, int per, double step) {
    double worst = 0;
    for (int i = from; i < from + per; i++) {
      double q = Math.round(kernel[i] / step);
      worst = Math.max(worst, Math.abs(kernel[i] - q * step));
    }
    return worst;
  }

  /**
   * The codes of the kernel multiplied channel by channel by {@code factor} (BatchNorm's gamma /
   * sigma folded into a convolution): the same integers, a scale times |factor|, and the codes'
   * sign flipped where the factor is negative, so that scales stay positive as ONNX requires.
   */
  WeightCodes folded(double[] factor) {
    int channels = scales.length;
    int per = codes.length / channels;
    byte[] c2 = codes.clone();
    float[] s2 = new float[channels];
    for (int c = 0; c < channels; c++) {
      double f = factor[c];
      s2[c] = f == 0 ? scales[c] : (float) (scales[c] * Math.abs(f));
      if (f < 0) {
        for (int i = c * per; i < (c + 1) * per; i++) {
          c2[i] = (byte) -c2[i];
        }
      } else if (f == 0) {
        java.util.Arrays.fill(c2, c * per, (c + 1) * per, (byte) 0);
      }
    }
    double m = 0;
    for (double f : factor) {
      m = Math.max(m, Math.abs(f));
    }
    return new WeightCodes(c2, s2, levels, exact, maxError * m, maxAbs * m);
  }

  /** The kernel the codes stand for, scale x code. */
  float[] values() {
    int per = codes.length / scales.length;
    float[] out = new float[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = scales[i / per] * codes[i];
    }
    return out;
  }
}
