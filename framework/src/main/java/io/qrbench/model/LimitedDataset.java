package io.qrbench.model;

import io.qrbench.spi.ImageDataset;
import java.util.List;

/** The first {@code limit} images of a dataset. */
public record LimitedDataset(ImageDataset inner, int limit) implements ImageDataset {
  /**
   * {@code data} itself when {@code limit} is null or not smaller, else its first {@code limit}
   * images.
   */
  public static ImageDataset of(ImageDataset data, Integer limit) {
    return limit == null || limit >= data.size() ? data : new LimitedDataset(data, limit);
  }

  @Override
  public int size() {
    return limit;
  }

  @Override
  public int channels() {
    return inner.channels();
  }

  @Override
  public int height() {
    return inner.height();
  }

  @Override
  public int width() {
    return inner.width();
  }

  @Override
  public List<String> classNames() {
    return inner.classNames();
  }

  @Override
  public int label(int index) {
    return inner.label(index);
  }

  @Override
  public void readImage(int index, float[] dst, int offset) {
    inner.readImage(index, dst, offset);
  }
}
