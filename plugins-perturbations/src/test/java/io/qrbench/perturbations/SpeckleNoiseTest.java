package io.qrbench.perturbations;

import static io.qrbench.perturbations.NoiseFixture.mean;
import static io.qrbench.perturbations.NoiseFixture.variance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpeckleNoiseTest {
  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /** (x' - x) / x on a constant image of {@code x}: the multiplicative noise itself. */
  private double[] relativeNoise(float x, NormalNoiseConfig c, long seed) {
    float[] v = NoiseFixture.apply(new SpeckleNoise(), c, fx.constant(20, x), 0, seed);
    double[] n = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      n[i] = (v[i] - (double) x) / x;
    }
    return n;
  }

  private static void assertMoments(double mean, double std, double[] n) {
    double se = std / Math.sqrt(n.length);
    assertEquals(mean, mean(n), 5 * se, "mean; SE " + se);
    double seVar = std * std * Math.sqrt(2.0 / n.length);
    assertEquals(std * std, variance(n), 5 * seVar, "variance; SE " + seVar);
  }

  @Test
  void defaultsAreScikitImages() {
    NormalNoiseConfig c = new NormalNoiseConfig(null, null, null, null);
    assertEquals(0.0, c.mean());
    assertEquals(0.01, c.var());
    // mid-grey: x' = 0.5 + 0.5 N(0, 0.1) never reaches 0 or 1
    assertMoments(0.0, 0.1, relativeNoise(0.5f, c, 1));
  }

  @Test
  void relativeNoiseHasTheGivenMeanAndVariance() {
    // x' = 0.5 + 0.5 N(0.1, 0.2): 0 and 1 are 5.5 and 4.5 standard deviations away
    assertMoments(0.1, 0.2, relativeNoise(0.5f, new NormalNoiseConfig(0.1, 0.04, null, null), 2));
  }

  @Test
  void severityUsesTheCifar10cStandardDeviation() {
    // severity 4: x + x N(0, 0.16)
    assertMoments(0.0, 0.16, relativeNoise(0.5f, new NormalNoiseConfig(null, null, 4, null), 3));
  }

  @Test
  void severityFiveIsStrongerThanOne() {
    NDArray x = fx.random8Bit(4, 0);
    float[] clean = x.toFloatArray();
    double one =
        NoiseFixture.meanAbsDiff(
            clean,
            NoiseFixture.apply(
                new SpeckleNoise(), new NormalNoiseConfig(null, null, 1, null), x, 0, 4));
    double five =
        NoiseFixture.meanAbsDiff(
            clean,
            NoiseFixture.apply(
                new SpeckleNoise(), new NormalNoiseConfig(null, null, 5, null), x, 0, 4));
    assertTrue(five > 2.5 * one, "severity 5 (std 0.2) vs 1 (std 0.06): " + five + " vs " + one);
  }

  @Test
  void blackStaysBlack() {
    float[] v =
        NoiseFixture.apply(
            new SpeckleNoise(),
            new NormalNoiseConfig(0.0, 0.5, null, null),
            fx.constant(2, 0f),
            0,
            5);
    for (float f : v) {
      assertEquals(0f, f);
    }
  }

  @Test
  void severityWithMeanIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new NormalNoiseConfig(0.0, null, 2, null));
    assertTrue(e.getMessage().contains("cannot be combined with mean"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new NormalNoiseConfig(null, null, 6, null));
    assertTrue(e.getMessage().startsWith("severity must be 1, 2, 3, 4 or 5"), e.getMessage());
  }
}
