package io.qrbench.perturbations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SaltAndPepperNoiseTest {
  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /** On 20 mid-grey images (61,440 values), checks the replaced fraction and the salt ratio. */
  private void assertRates(SaltAndPepperNoise.Config c, double amount, double salt, long seed) {
    float[] v = NoiseFixture.apply(new SaltAndPepperNoise(), c, fx.constant(20, 0.5f), 0, seed);
    long replaced = 0;
    long salted = 0;
    for (float f : v) {
      if (f != 0.5f) {
        replaced++;
        assertTrue(f == 0f || f == 1f, "replaced values are 0 or 1, found " + f);
        if (f == 1f) {
          salted++;
        }
      }
    }
    int n = v.length;
    double se = Math.sqrt(amount * (1 - amount) / n); // binomial standard error of the fraction
    assertEquals(amount, replaced / (double) n, 5 * se, "replaced fraction; SE " + se);
    double seSalt = Math.sqrt(salt * (1 - salt) / (amount * n));
    assertEquals(salt, salted / (double) replaced, 5 * seSalt, "salt among replaced; SE " + seSalt);
  }

  @Test
  void defaultsAreScikitImages() {
    SaltAndPepperNoise.Config c = new SaltAndPepperNoise.Config(null, null, null, null);
    assertEquals(0.05, c.amount());
    assertEquals(0.5, c.saltVsPepper());
    assertRates(c, 0.05, 0.5, 1);
  }

  @Test
  void replacedFractionAndSaltRatioMatchTheDefinition() {
    assertRates(new SaltAndPepperNoise.Config(0.2, 0.3, null, null), 0.2, 0.3, 2);
  }

  @Test
  void severityUsesTheCifar10cAmountAndHalfSalt() {
    assertRates(new SaltAndPepperNoise.Config(null, null, 4, null), 0.05, 0.5, 3);
  }

  @Test
  void allSaltOrAllPepper() {
    float[] salt =
        NoiseFixture.apply(
            new SaltAndPepperNoise(),
            new SaltAndPepperNoise.Config(1.0, 1.0, null, null),
            fx.constant(1, 0.5f),
            0,
            4);
    float[] pepper =
        NoiseFixture.apply(
            new SaltAndPepperNoise(),
            new SaltAndPepperNoise.Config(1.0, 0.0, null, null),
            fx.constant(1, 0.5f),
            0,
            4);
    for (int i = 0; i < salt.length; i++) {
      assertEquals(1f, salt[i]);
      assertEquals(0f, pepper[i]);
    }
  }

  @Test
  void severityFiveIsStrongerThanOne() {
    NDArray x = fx.random8Bit(8, 0);
    float[] clean = x.toFloatArray();
    double one =
        NoiseFixture.meanAbsDiff(
            clean,
            NoiseFixture.apply(
                new SaltAndPepperNoise(),
                new SaltAndPepperNoise.Config(null, null, 1, null),
                x,
                0,
                5));
    double five =
        NoiseFixture.meanAbsDiff(
            clean,
            NoiseFixture.apply(
                new SaltAndPepperNoise(),
                new SaltAndPepperNoise.Config(null, null, 5, null),
                x,
                0,
                5));
    assertTrue(five > 4 * one, "severity 5 (amount 0.07) vs 1 (0.01): " + five + " vs " + one);
  }

  @Test
  void badConfigurationsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SaltAndPepperNoise.Config(0.1, 0.5, 2, null));
    assertEquals(
        "severity selects the CIFAR-10-C constants of salt-and-pepper and cannot be combined with"
            + " amount, salt-vs-pepper; give either severity or the scikit-image keys (amount, salt-vs-pepper)",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SaltAndPepperNoise.Config(1.5, null, null, null));
    assertTrue(e.getMessage().contains("amount must be a probability"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SaltAndPepperNoise.Config(null, -0.1, null, null));
    assertTrue(e.getMessage().contains("salt-vs-pepper must be a probability"), e.getMessage());
  }
}
