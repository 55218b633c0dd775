package io.qrbench.perturbations;

import static io.qrbench.perturbations.NoiseFixture.mean;
import static io.qrbench.perturbations.NoiseFixture.toDouble;
import static io.qrbench.perturbations.NoiseFixture.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.testing.SimpleContext;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private static NormalNoiseConfig scikit(Double mean, Double var) {
    return new NormalNoiseConfig(mean, var, null, null);
  }

  private static NormalNoiseConfig severity(int s) {
    return new NormalNoiseConfig(null, null, s, null);
  }

  private float[] noisy(float value, NormalNoiseConfig config, int images, int first, long seed) {
    return NoiseFixture.apply(new GaussianNoise(), config, fx.constant(images, value), first, seed);
  }

  @Test
  void meanAndVarianceMatchTheDefinition() {
    // mid-grey and std 0.05: clipping at 0 or 1 is 10 standard deviations away
    float[] v = noisy(0.5f, scikit(0.02, 0.0025), 20, 0, 1);
    // 61,440 draws: standard errors are 0.0002 (mean) and 0.000014 (variance)
    assertEquals(0.52, mean(toDouble(v)), 0.001);
    assertEquals(0.0025, variance(toDouble(v)), 0.0001);
  }

  @Test
  void severityUsesTheCifar10cStandardDeviation() {
    // severity 3: std 0.08, mean 0; 61,440 draws: SE 0.00032 (mean), 0.000037 (variance)
    double[] v = toDouble(noisy(0.5f, severity(3), 20, 0, 3));
    assertEquals(0.5, mean(v), 5 * 0.08 / Math.sqrt(v.length));
    assertEquals(0.08 * 0.08, variance(v), 5 * 0.0064 * Math.sqrt(2.0 / v.length));
  }

  @Test
  void severityFiveIsStrongerThanOne() {
    NDArray x = fx.random8Bit(4, 0);
    float[] clean = x.toFloatArray();
    double one =
        NoiseFixture.meanAbsDiff(
            clean, NoiseFixture.apply(new GaussianNoise(), severity(1), x, 0, 5));
    double five =
        NoiseFixture.meanAbsDiff(
            clean, NoiseFixture.apply(new GaussianNoise(), severity(5), x, 0, 5));
    assertTrue(five > 2 * one, "severity 5 (std 0.10) vs 1 (std 0.04): " + five + " vs " + one);
  }

  @Test
  void defaultsAreScikitImages() {
    NormalNoiseConfig c = scikit(null, null);
    assertEquals(0.0, c.mean());
    assertEquals(0.01, c.var(), "var is a variance: std 0.1");
    assertNull(c.severity());
    assertEquals(false, c.quantizeToUint8());
    NormalNoiseConfig s = severity(2);
    assertNull(s.var(), "a severity leaves the scikit-image keys unset");
    assertEquals(0.06, s.noiseStd(Cifar10C.GAUSSIAN_STD));
  }

  @Test
  void outputIsClippedToTheUnitInterval() {
    float[] v = noisy(0.95f, scikit(0.0, 0.04), 4, 0, 2);
    assertTrue(Arrays.stream(toDouble(v)).allMatch(d -> d >= 0 && d <= 1));
    assertTrue(
        Arrays.stream(toDouble(v)).filter(d -> d == 1.0).count() > v.length / 10,
        "many values clip at 1");
  }

  @Test
  void eachImagesNoiseDependsOnlyOnItsSeed() {
    NormalNoiseConfig c = scikit(0.0, 0.01);
    float[] batch = noisy(0.5f, c, 4, 10, 7);
    float[] single = noisy(0.5f, c, 1, 12, 7); // image 12 alone: the batch's third image
    assertArrayEquals(single, Arrays.copyOfRange(batch, 2 * 3072, 3 * 3072));
    assertArrayEquals(batch, noisy(0.5f, c, 4, 10, 7), "same seed, same noise");
    assertTrue(!Arrays.equals(batch, noisy(0.5f, c, 4, 10, 8)), "another seed, other noise");
  }

  @Test
  void sameNoiseAsAddingAFloatNoiseTensor() {
    // the noise of the first version of this plugin: x.add(float32 noise).clip(0, 1) in the engine
    NDArray x = fx.random8Bit(2, 0);
    NormalNoiseConfig c = scikit(0.01, 0.02);
    float[] noise = new float[x.toFloatArray().length];
    for (int i = 0; i < 2; i++) {
      java.util.SplittableRandom r = new java.util.SplittableRandom(9 + i);
      for (int j = i * 3072; j < (i + 1) * 3072; j++) {
        noise[j] = (float) (0.01 + Math.sqrt(0.02) * r.nextGaussian());
      }
    }
    float[] expected = x.add(fx.batch(noise)).clip(0f, 1f).toFloatArray();
    assertArrayEquals(expected, NoiseFixture.apply(new GaussianNoise(), c, x, 0, 9));
  }

  @Test
  void negativeVarianceIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scikit(0.0, -0.1));
    assertTrue(e.getMessage().contains("var must be"), e.getMessage());
  }

  @Test
  void severityWithVarIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new NormalNoiseConfig(null, 0.01, 3, null));
    assertEquals(
        "severity selects the CIFAR-10-C constants of this noise and cannot be combined with var;"
            + " give either severity or the scikit-image keys (mean, var)",
        e.getMessage());
  }

  @Test
  void severityOutsideOneToFiveIsRejected() {
    for (int s : new int[] {0, 6, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> severity(s));
      assertEquals(
          "severity must be 1, 2, 3, 4 or 5 (the CIFAR-10-C levels of this noise), was " + s,
          e.getMessage());
    }
  }

  @Test
  void noneReturnsTheCleanBatch() {
    NDArray x = fx.constant(2, 0.25f);
    assertTrue(new NoPerturbation().apply(new EmptyConfig(), SimpleContext.of(x, 0, 0)) == x);
  }
}
