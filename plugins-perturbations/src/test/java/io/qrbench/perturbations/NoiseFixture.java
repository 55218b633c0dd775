package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.Perturbation;
import io.qrbench.testing.SimpleContext;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Images, a manager and statistics for the noise tests. Close it after each test. */
final class NoiseFixture implements AutoCloseable {
  /** Values per CIFAR image, 3 x 32 x 32. */
  static final int PER = 3 * 32 * 32;

  private final NDManager manager = NDManager.newBaseManager();

  /** A batch of CIFAR-shaped images, all {@code value}. */
  NDArray constant(int images, float value) {
    return manager.full(new Shape(images, 3, 32, 32), value);
  }

  /** A batch of CIFAR-shaped images, flat (N, C, H, W) values. */
  NDArray batch(float[] values) {
    return manager.create(FloatBuffer.wrap(values), new Shape(values.length / PER, 3, 32, 32));
  }

  /**
   * Random 8-bit images: image {@code first + i} always has the same content, k/255 with k drawn
   * from a generator seeded with its index, so a batch and a single image can be compared.
   */
  NDArray random8Bit(int images, int first) {
    float[] v = new float[images * PER];
    for (int i = 0; i < images; i++) {
      SplittableRandom r = new SplittableRandom(1000 + first + i);
      for (int j = 0; j < PER; j++) {
        v[i * PER + j] = r.nextInt(256) / 255f;
      }
    }
    return batch(v);
  }

  /** Runs a perturbation on {@code x}; image i gets seed {@code seed + first + i}. */
  static <C extends Record> float[] apply(
      Perturbation<C> p, C config, NDArray x, int first, long seed) {
    return p.apply(config, SimpleContext.of(x, first, seed)).toFloatArray();
  }

  static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  /** The unbiased sample variance. */
  static double variance(double[] v) {
    double m = mean(v);
    return Arrays.stream(v).map(d -> (d - m) * (d - m)).sum() / (v.length - 1);
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** Mean |a - b|. */
  static double meanAbsDiff(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - b[i]);
    }
    return s / a.length;
  }

  @Override
  public void close() {
    manager.close();
  }
}
