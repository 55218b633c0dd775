package io.qrbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.ImageDataset;
import java.nio.FloatBuffer;

/**
 * Turns dataset images into NDArrays, reusing one host buffer per loop: a batch's arrays belong to
 * the manager given, which the caller closes when the batch ends.
 */
public final class Batches {
  private final ImageDataset data;
  private final float[] pixels;
  private final int[] labels;

  /** A loader for batches of at most {@code maxBatch} images. */
  public Batches(ImageDataset data, int maxBatch) {
    this.data = data;
    this.pixels = new float[maxBatch * data.imageSize()];
    this.labels = new int[maxBatch];
  }

  /** The images {@code indices[from .. from+count)} and their labels, as (images, labels). */
  public NDArray[] load(NDManager manager, int[] indices, int from, int count) {
    int size = data.imageSize();
    for (int i = 0; i < count; i++) {
      int idx = indices == null ? from + i : indices[from + i];
      data.readImage(idx, pixels, i * size);
      labels[i] = data.label(idx);
    }
    NDArray x =
        manager.create(
            FloatBuffer.wrap(pixels, 0, count * size),
            new Shape(count, data.channels(), data.height(), data.width()));
    NDArray y = manager.create(java.util.Arrays.copyOf(labels, count));
    return new NDArray[] {x, y};
  }
}
