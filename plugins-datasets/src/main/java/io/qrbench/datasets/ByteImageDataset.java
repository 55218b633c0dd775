package io.qrbench.datasets;

import io.qrbench.spi.ImageDataset;
import java.util.List;

/**
 * Images held as uint8, channel-major (C, H, W) one after another, the way CIFAR-10's binary files
 * hold them; read as floats in [0,1].
 */
public final class ByteImageDataset implements ImageDataset {
  private static final float[] SCALE = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      SCALE[i] = i / 255f;
    }
  }

  private final byte[] pixels;
  private final byte[] labels;
  private final int channels;
  private final int height;
  private final int width;
  private final List<String> classNames;

  /**
   * Wraps the given arrays (not copied).
   *
   * @param pixels {@code labels.length * channels * height * width} bytes
   * @param labels one label per image
   */
  public ByteImageDataset(
      byte[] pixels, byte[] labels, int channels, int height, int width, List<String> classNames) {
    if ((long) labels.length * channels * height * width != pixels.length) {
      throw new IllegalArgumentException(
          "pixels hold "
              + pixels.length
              + " bytes, expected "
              + (long) labels.length * channels * height * width);
    }
    this.pixels = pixels;
    this.labels = labels;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.classNames = List.copyOf(classNames);
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int label(int index) {
    return labels[index] & 0xff;
  }

  @Override
  public void readImage(int index, float[] dst, int offset) {
    int size = imageSize();
    int src = index * size;
    for (int i = 0; i < size; i++) {
      dst[offset + i] = SCALE[pixels[src + i] & 0xff];
    }
  }
}
