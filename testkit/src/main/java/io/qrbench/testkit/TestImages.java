package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Seeded 8-bit test images: the image with a given id always has the same pixels (k/255, k drawn
 * from a generator seeded with the id), so a batch and a single image, or two batches, can be
 * compared value for value.
 */
public final class TestImages {
  private TestImages() {}

  /** The pixels of image {@code id}, (C, H, W) row-major, each k/255 for an integer k in 0..255. */
  public static float[] pixels(int id, Shape imageShape) {
    float[] v = new float[Math.toIntExact(imageShape.size())];
    SplittableRandom r = new SplittableRandom(0x51A7E5EEDL + id);
    for (int j = 0; j < v.length; j++) {
      v[j] = r.nextInt(256) / 255f;
    }
    return v;
  }

  /** A batch (N, C, H, W) float32 of the images with the given ids, in {@code manager}. */
  public static NDArray batch(NDManager manager, Shape imageShape, int... ids) {
    int per = Math.toIntExact(imageShape.size());
    float[] v = new float[ids.length * per];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(pixels(ids[i], imageShape), 0, v, i * per, per);
    }
    long[] dims = new long[imageShape.dimension() + 1];
    dims[0] = ids.length;
    System.arraycopy(imageShape.getShape(), 0, dims, 1, imageShape.dimension());
    return manager.create(v, new Shape(dims));
  }

  /** Labels (N) int32 for the images with the given ids: id modulo {@code classes}. */
  public static NDArray labels(NDManager manager, int classes, int... ids) {
    int[] y = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      y[i] = Math.floorMod(ids[i], classes);
    }
    return manager.create(y).toType(DataType.INT32, false);
  }

  /** The ids {@code from, from + 1, ..., from + n - 1}. */
  public static int[] range(int from, int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = from + i;
    }
    return ids;
  }
}
