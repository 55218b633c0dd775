package io.qrbench.train;

import io.qrbench.suite.AugmentSpec;
import java.util.SplittableRandom;

/**
 * Applies {@link AugmentSpec} to one image held as (C, H, W) floats, in place. The random choice
 * comes from the caller's generator, seeded per epoch and image, so a resumed run draws the same.
 */
public final class Augmenter {
  private final AugmentSpec spec;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] scratch;

  /** An augmenter for images of the given shape. */
  public Augmenter(AugmentSpec spec, int channels, int height, int width) {
    this.spec = spec;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.scratch = new float[channels * height * width];
  }

  /** Augments the image at {@code offset} in place, drawing from {@code r}. */
  public void apply(float[] image, int offset, SplittableRandom r) {
    int p = spec.cropPadding();
    int dy = p == 0 ? 0 : r.nextInt(2 * p + 1) - p;
    int dx = p == 0 ? 0 : r.nextInt(2 * p + 1) - p;
    boolean flip = spec.flip() && r.nextBoolean();
    if (dx == 0 && dy == 0 && !flip) {
      return;
    }
    int plane = height * width;
    System.arraycopy(image, offset, scratch, 0, channels * plane);
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        int sy = y + dy;
        for (int x = 0; x < width; x++) {
          int sx = (flip ? width - 1 - x : x) + dx;
          boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
          image[offset + c * plane + y * width + x] =
              inside ? scratch[c * plane + sy * width + sx] : 0f;
        }
      }
    }
  }
}
