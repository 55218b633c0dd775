package io.qrbench.perturbations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.testing.SimpleContext;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private float[] noisy(float value, GaussianNoise.Config config, int images, int first, long seed) {
    NDArray x = manager.full(new Shape(images, 3, 32, 32), value);
    return new GaussianNoise().apply(config, SimpleContext.of(x, first, seed)).toFloatArray();
  }

  @Test
  void meanAndVarianceMatchTheDefinition() {
    // mid-grey and std 0.05: clipping at 0 or 1 is 10 standard deviations away
    GaussianNoise.Config c = new GaussianNoise.Config(0.02, 0.0025);
    float[] v = noisy(0.5f, c, 20, 0, 1);
    double mean = Arrays.stream(toDouble(v)).average().orElseThrow();
    double var = Arrays.stream(toDouble(v)).map(d -> (d - mean) * (d - mean)).sum() / (v.length - 1);
    // 61,440 draws: standard errors are 0.0002 (mean) and 0.000014 (variance)
    assertEquals(0.52, mean, 0.001);
    assertEquals(0.0025, var, 0.0001);
  }

  @Test
  void defaultsAreScikitImages() {
    GaussianNoise.Config c = new GaussianNoise.Config(null, null);
    assertEquals(0.0, c.mean());
    assertEquals(0.01, c.var(), "var is a variance: std 0.1");
  }

  @Test
  void outputIsClippedToTheUnitInterval() {
    float[] v = noisy(0.95f, new GaussianNoise.Config(0.0, 0.04), 4, 0, 2);
    assertTrue(Arrays.stream(toDouble(v)).allMatch(d -> d >= 0 && d <= 1));
    assertTrue(Arrays.stream(toDouble(v)).filter(d -> d == 1.0).count() > v.length / 10, "many values clip at 1");
  }

  @Test
  void eachImagesNoiseDependsOnlyOnItsSeed() {
    GaussianNoise.Config c = new GaussianNoise.Config(0.0, 0.01);
    float[] batch = noisy(0.5f, c, 4, 10, 7);
    float[] single = noisy(0.5f, c, 1, 12, 7); // image 12 alone: the batch's third image
    assertArrayEquals(single, Arrays.copyOfRange(batch, 2 * 3072, 3 * 3072));
    assertArrayEquals(batch, noisy(0.5f, c, 4, 10, 7), "same seed, same noise");
    assertTrue(!Arrays.equals(batch, noisy(0.5f, c, 4, 10, 8)), "another seed, other noise");
  }

  @Test
  void negativeVarianceIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianNoise.Config(0.0, -0.1));
    assertTrue(e.getMessage().contains("var must be"), e.getMessage());
  }

  @Test
  void noneReturnsTheCleanBatch() {
    NDArray x = manager.full(new Shape(2, 3, 4, 4), 0.25f);
    assertTrue(new NoPerturbation().apply(new EmptyConfig(), SimpleContext.of(x, 0, 0)) == x);
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
