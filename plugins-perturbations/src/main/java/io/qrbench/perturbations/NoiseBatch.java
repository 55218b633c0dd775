package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.PerturbationContext;
import java.nio.FloatBuffer;

/**
 * A batch copied into one {@code float[]} that a noise overwrites in place, image by image, and
 * turns back into one NDArray: one copy out of the engine and one {@code create} per batch.
 */
final class NoiseBatch {
  /**
   * k / 255f for k in 0..255: the exact floats an 8-bit dataset reads as (see ByteImageDataset).
   */
  private static final float[] UINT8 = new float[256];

  static {
    for (int k = 0; k < 256; k++) {
      UINT8[k] = k / 255f;
    }
  }

  private final PerturbationContext ctx;
  private final Shape shape;

  /** The clean batch on creation, (N, C, H, W) row-major; the noise writes its output here. */
  final float[] pixels;

  /** Number of images. */
  final int images;

  /** Values per image, C x H x W. */
  final int perImage;

  NoiseBatch(PerturbationContext ctx) {
    this.ctx = ctx;
    NDArray x = ctx.images();
    this.shape = x.getShape();
    this.images = ctx.batchSize();
    this.pixels = x.toFloatArray();
    this.perImage = images == 0 ? 0 : pixels.length / images;
  }

  /** k when {@code x} is exactly the float k/255 an 8-bit dataset reads as, else -1. */
  static int uint8Level(float x) {
    int k = (int) (x * 255f + 0.5f);
    return k >= 0 && k <= 255 && UINT8[k] == x ? k : -1;
  }

  /** The float k/255 that 8-bit level k reads as. */
  static float uint8Value(int k) {
    return UINT8[k];
  }

  /** Index of the first value of image {@code i}. */
  int start(int i) {
    return i * perImage;
  }

  /**
   * Clips every value to its image's range ({@link PerturbationContext#clipLow}, [0,1] for [0,1]
   * images; NaN is not expected), optionally rounds it to the nearest k/255 (then always in [0,1]:
   * 8-bit levels exist only there), and returns the batch as a new array in the batch's manager.
   *
   * <p>Rounding is half to even ({@link Math#rint}) on v * 255 computed exactly in double, as
   * scikit-image's {@code img_as_ubyte} does ({@code np.rint}). For float32 values in [0,1] the
   * only exact tie is 0.5 (127.5), which half-to-even and half-up both take to 128, so the two
   * rules give the same output here. Note that CIFAR-10-C's own generator ({@code make_cifar_c.py})
   * stored its images with {@code np.uint8(...)}, which truncates toward zero instead: its noisy
   * values sit on average about half a level (0.5/255) lower than rounded ones.
   *
   * @param quantizeToUint8 whether to round to k/255
   */
  NDArray finish(boolean quantizeToUint8) {
    float[] p = pixels;
    if (quantizeToUint8) {
      for (int j = 0; j < p.length; j++) {
        float v = p[j];
        float c = v < 0f ? 0f : (v > 1f ? 1f : v);
        p[j] = UINT8[(int) Math.rint(c * 255.0)];
      }
    } else {
      for (int i = 0; i < images; i++) {
        float low = ctx.clipLow(i);
        float high = ctx.clipHigh(i);
        for (int j = start(i), end = j + perImage; j < end; j++) {
          float v = p[j];
          p[j] = v < low ? low : (v > high ? high : v);
        }
      }
    }
    return ctx.manager().create(FloatBuffer.wrap(p), shape);
  }
}
