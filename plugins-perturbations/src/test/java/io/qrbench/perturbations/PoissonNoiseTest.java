package io.qrbench.perturbations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PoissonNoiseTest {
  private static final int IMAGES = 20;
  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private static PoissonNoise.Config scikit() {
    return new PoissonNoise.Config(null, null, null);
  }

  /** 8-bit images whose value j is (j mod levels) / 255: exactly {@code levels} distinct values. */
  private NDArray levels(int levels) {
    float[] v = new float[IMAGES * NoiseFixture.PER];
    for (int j = 0; j < v.length; j++) {
      v[j] = (j % NoiseFixture.PER % levels) / 255f;
    }
    return fx.batch(v);
  }

  /**
   * Checks that the values whose clean value is k/255, k in [lo, hi], have mean x and variance x/v:
   * z = (x' - x) / sqrt(x / v) pooled over them has mean 0 and variance 1.
   */
  private static void assertPoisson(float[] clean, float[] noisy, double v, int lo, int hi) {
    assertPoisson(clean, noisy, v, (lo - 0.5) / 255, (hi + 0.5) / 255);
  }

  /** The same for the values whose clean value x is in [xLo, xHi]. */
  private static void assertPoisson(
      float[] clean, float[] noisy, double v, double xLo, double xHi) {
    double sum = 0;
    double sumSq = 0;
    double minLambda = Double.MAX_VALUE;
    int n = 0;
    for (int j = 0; j < clean.length; j++) {
      if (clean[j] >= xLo && clean[j] <= xHi) {
        double z = (noisy[j] - clean[j]) / Math.sqrt(clean[j] / v);
        sum += z;
        sumSq += z * z;
        minLambda = Math.min(minLambda, clean[j] * v);
        n++;
      }
    }
    double mean = sum / n;
    double var = (sumSq - n * mean * mean) / (n - 1);
    assertEquals(0, mean, 5 / Math.sqrt(n), "standardised mean over " + n + " values");
    // Var(s^2) = (2 + excess kurtosis) / n for unit variance; Poisson's excess kurtosis is 1/lambda
    double seVar = Math.sqrt((2 + 1 / minLambda) / n);
    assertEquals(1, var, 5 * seVar, "standardised variance over " + n + " values; SE " + seVar);
  }

  @Test
  void scikitRuleUses256ForAnImageWithAll256Values() {
    NDArray x = levels(256);
    float[] clean = x.toFloatArray();
    float[] noisy = NoiseFixture.apply(new PoissonNoise(), scikit(), x, 0, 1);
    // lambda = 256 x from 16 to 192; 1 (lambda 256) is at least 4.6 standard deviations away
    assertPoisson(clean, noisy, 256, 16, 191);
  }

  @Test
  void scikitRuleUses128ForAnImageWith100Values() {
    NDArray x = levels(100);
    assertPoisson(
        x.toFloatArray(), NoiseFixture.apply(new PoissonNoise(), scikit(), x, 0, 2), 128, 10, 99);
  }

  @Test
  void valuesOffThe8BitGridUseTheSamplerWithTheSameStatistics() {
    // (k + 0.5) / 255: 256 distinct values, none a table level, so PTRS and inversion draw them
    float[] v = new float[IMAGES * NoiseFixture.PER];
    for (int j = 0; j < v.length; j++) {
      v[j] = (j % 256 + 0.5f) / 255f;
    }
    NDArray x = fx.batch(v);
    float[] noisy = NoiseFixture.apply(new PoissonNoise(), scikit(), x, 0, 7);
    assertPoisson(v, noisy, 256, 0.02, 0.75); // lambda from 5 to 192: both sampler branches
  }

  @Test
  void cachedTablesChangeNothing() {
    NDArray x = fx.random8Bit(3, 40);
    PoissonNoise warm = new PoissonNoise();
    for (int s = 1; s <= 5; s++) {
      NoiseFixture.apply(warm, new PoissonNoise.Config(null, s, null), fx.random8Bit(2, 0), 0, 1);
    }
    NoiseFixture.apply(warm, scikit(), fx.random8Bit(2, 0), 0, 1);
    float[] fresh = NoiseFixture.apply(new PoissonNoise(), scikit(), x, 40, 9);
    assertArrayEquals(fresh, NoiseFixture.apply(warm, scikit(), x, 40, 9));
  }

  @Test
  void scikitRuleUsesOneForAConstantImage() {
    // one distinct value: v = 2^0 = 1, so x' = Poisson(0.5) clipped: 0 with probability e^-0.5,
    // else 1
    float[] v = NoiseFixture.apply(new PoissonNoise(), scikit(), fx.constant(IMAGES, 0.5f), 0, 3);
    long zeros = 0;
    for (float f : v) {
      assertTrue(f == 0f || f == 1f, "0 or 1, found " + f);
      zeros += f == 0f ? 1 : 0;
    }
    double p = Math.exp(-0.5);
    assertEquals(p, zeros / (double) v.length, 5 * Math.sqrt(p * (1 - p) / v.length));
  }

  @Test
  void explicitScaleReplacesTheRule() {
    NDArray x = levels(256);
    // v = 30: lambda from 3 (k = 26) to 12 (k = 102), both sampler branches; 1 is far away
    float[] noisy =
        NoiseFixture.apply(new PoissonNoise(), new PoissonNoise.Config(30.0, null, null), x, 0, 4);
    assertPoisson(x.toFloatArray(), noisy, 30, 26, 102);
  }

  @Test
  void severityUsesTheCifar10cScale() {
    // severity 2: Poisson(x * 250) / 250 on mid-grey, not the constant image's scikit v of 1
    double[] v =
        NoiseFixture.toDouble(
            NoiseFixture.apply(
                new PoissonNoise(),
                new PoissonNoise.Config(null, 2, null),
                fx.constant(IMAGES, 0.5f),
                0,
                5));
    double var = 0.5 / 250;
    assertEquals(0.5, NoiseFixture.mean(v), 5 * Math.sqrt(var / v.length));
    assertEquals(var, NoiseFixture.variance(v), 5 * var * Math.sqrt(2.0 / v.length));
  }

  @Test
  void severityFiveIsStrongerThanOne() {
    NDArray x = fx.random8Bit(4, 0);
    float[] clean = x.toFloatArray();
    double one =
        NoiseFixture.meanAbsDiff(
            clean,
            NoiseFixture.apply(
                new PoissonNoise(), new PoissonNoise.Config(null, 1, null), x, 0, 6));
    double five =
        NoiseFixture.meanAbsDiff(
            clean,
            NoiseFixture.apply(
                new PoissonNoise(), new PoissonNoise.Config(null, 5, null), x, 0, 6));
    // the noise's standard deviation goes as 1/sqrt(c): sqrt(500 / 50) = 3.2 times larger
    assertTrue(five > 2.5 * one, "severity 5 (c 50) vs 1 (c 500): " + five + " vs " + one);
  }

  @Test
  void distinctValuesCountNumbersLikeNumpyUnique() {
    DistinctValues d = new DistinctValues();
    assertEquals(3, d.count(new float[] {0f, -0f, 0.5f, 0.5f, 1f}, 0, 5));
    assertEquals(1, d.count(new float[] {0.25f, 0.25f, 0.25f}, 0, 3));
    assertEquals(2, d.count(new float[] {9f, 0.1f, 0.2f, 9f}, 1, 3), "only the slice counts");
    assertEquals(1.0, PoissonNoise.scikitScale(1));
    assertEquals(2.0, PoissonNoise.scikitScale(2));
    assertEquals(256.0, PoissonNoise.scikitScale(129));
    assertEquals(256.0, PoissonNoise.scikitScale(256));
    assertEquals(512.0, PoissonNoise.scikitScale(257));
  }

  @Test
  void badConfigurationsAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PoissonNoise.Config(100.0, 1, null));
    assertTrue(e.getMessage().contains("cannot be combined with scale"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new PoissonNoise.Config(0.0, null, null));
    assertEquals("scale must be a finite number > 0, was 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new PoissonNoise.Config(null, 6, null));
    assertEquals(
        "severity must be 1, 2, 3, 4 or 5 (the CIFAR-10-C levels of poisson), was 6",
        e.getMessage());
    assertNull(scikit().scale(), "no scale: scikit-image's per-image rule");
  }
}
