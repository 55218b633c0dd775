package io.qrbench.spi;

import java.util.List;

/**
 * A labelled, indexable set of images, all of one shape. Reads must be cheap and thread-safe;
 * implementations typically keep uint8 pixels in memory and convert on read.
 */
public interface ImageDataset {

  /** Number of images. */
  int size();

  /** Channels per image (3 for RGB). */
  int channels();

  /** Image height in pixels. */
  int height();

  /** Image width in pixels. */
  int width();

  /** Class names, indexed by label. */
  List<String> classNames();

  /** The label of image {@code index}, in [0, classes). */
  int label(int index);

  /**
   * Writes image {@code index} as floats in [0,1], channel-major (C, H, W), into {@code dst}
   * starting at {@code offset}.
   */
  void readImage(int index, float[] dst, int offset);

  /** Values per image: channels x height x width. */
  default int imageSize() {
    return channels() * height() * width();
  }
}
