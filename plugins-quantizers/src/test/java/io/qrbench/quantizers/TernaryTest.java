package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.quantizers.RandomTensors.Dist;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TernaryTest {

  private static final float[] HAND = {0.1f, -0.9f, 0.5f, 0f, -0.3f, 1.2f};

  /** Largest objective over every threshold set: delta = 0 and delta = each |w_i|. */
  private static double bruteForceBest(float[] w, int from, int to) {
    double best = Ternary.objective(w, from, to, 0f);
    for (int i = from; i < to; i++) {
      best = Math.max(best, Ternary.objective(w, from, to, Math.abs(w[i])));
    }
    return best;
  }

  /** ||w - alpha t||^2 over a slice for a fixed ternary pattern given by delta. */
  private static double error(float[] w, int from, int to, float delta, double alpha) {
    double e = 0;
    for (int i = from; i < to; i++) {
      double t = w[i] > delta ? 1 : w[i] < -delta ? -1 : 0;
      double d = w[i] - alpha * t;
      e += d * d;
    }
    return e;
  }

  private static void assertCloseOrBetter(double expectedAtLeast, double actual, String what) {
    assertTrue(
        actual >= expectedAtLeast - 1e-12 * Math.abs(expectedAtLeast),
        what + ": " + actual + " < " + expectedAtLeast);
  }

  @Test
  void deltaFactorIsFactorTimesMeanAbs() {
    // mean |w| = 3.0 / 6 = 0.5
    assertEquals(0.35f, Ternary.deltaFactor(HAND, 0, 6, 0.7), 1e-7f);
    assertEquals(0.5f, Ternary.deltaFactor(HAND, 0, 6, 1.0), 1e-7f);
    assertEquals((0.9f + 0.5f) / 2 * 0.7f, Ternary.deltaFactor(HAND, 1, 3, 0.7), 1e-7f);
    assertEquals(0f, Ternary.deltaFactor(HAND, 2, 2, 0.7), 0f);
  }

  @Test
  void twnOnAHandMadeLayer() {
    Quantized q = Ternary.twn(HAND, 1, Granularity.LAYER, DeltaRule.twn());
    // delta 0.35: I = {-0.9, 0.5, 1.2}, alpha = 2.6 / 3
    float a = (float) ((0.9f + 0.5f + (double) 1.2f) / 3);
    assertArrayEquals(new float[] {0f, -a, a, 0f, 0f, a}, q.values(), 0f);
    assertArrayEquals(new byte[] {1, 0, 2, 1, 1, 2}, q.codes());
    assertArrayEquals(new float[] {a}, q.scales(), 0f);
    assertEquals(2, q.bits());
    assertEquals(3, q.levels());
    assertEquals(0.5, q.zeroFraction(), 0);
    assertEquals(3, q.distinctValues());
  }

  @Test
  void deltaOptimalOnAHandMadeLayer() {
    // sorted |w|: 1.2 .9 .5 .3 .1 0; scores: 1.44, 2.205, 2.2533, 2.1025, 1.8 -> k = 3
    float delta = Ternary.deltaOptimal(HAND, 0, 6);
    assertEquals(0.3f, delta, 0f);
    assertEquals(2.6 * 2.6 / 3, Ternary.objective(HAND, 0, 6, delta), 1e-6);
    Quantized q = Ternary.twn(HAND, 1, Granularity.LAYER, DeltaRule.optimal());
    assertArrayEquals(new byte[] {1, 0, 2, 1, 1, 2}, q.codes());
  }

  @Test
  void deltaOptimalNeverSplitsTiesAndReachesEveryWeightWithZero() {
    // all magnitudes tie: the only sets are {} and everything; delta 0 keeps all four
    float[] w = {0.5f, -0.5f, 0.5f, 0.5f};
    assertEquals(0f, Ternary.deltaOptimal(w, 0, 4), 0f);
    Quantized q = Ternary.twn(w, 1, Granularity.LAYER, DeltaRule.optimal());
    assertArrayEquals(new float[] {0.5f, -0.5f, 0.5f, 0.5f}, q.values(), 0f);

    // two large ties and a run of small ties: the cut must fall between runs
    float[] v = {2f, -2f, 1f, 1f, -1f, 1f, 0f};
    float d = Ternary.deltaOptimal(v, 0, v.length);
    // {2,2}: 16/2 = 8; {2,2,1,1,1,1}: 64/6 = 10.67 -> delta 0 (excludes the exact zero)
    assertEquals(0f, d, 0f);
    assertEquals(64.0 / 6, Ternary.objective(v, 0, v.length, d), 1e-12);
  }

  @Test
  void deltaOptimalOfAllZerosOrEmptyGivesAnEmptySet() {
    assertEquals(0f, Ternary.deltaOptimal(new float[] {0f, -0f, 0f}, 0, 3), 0f);
    assertEquals(0f, Ternary.deltaOptimal(new float[] {1f}, 1, 1), 0f);
    Quantized q =
        Ternary.twn(new float[] {0f, -0f, 0f, 0f}, 2, Granularity.CHANNEL, DeltaRule.optimal());
    assertArrayEquals(new float[] {0f, 0f}, q.scales(), 0f);
    assertArrayEquals(new byte[] {1, 1, 1, 1}, q.codes());
    assertEquals(1.0, q.zeroFraction(), 0);
    assertEquals(0.0, q.relativeError(new float[4]), 0);
  }

  @Test
  void deltaOptimalEqualsBruteForceOnSmallTensorsWithTies() {
    Random r = new Random(11);
    int checked = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      int n = 1 + r.nextInt(12);
      Dist d = trial % 3 == 0 ? Dist.TIES : RandomTensors.anyNonDegenerate(r);
      float[] w = RandomTensors.draw(r, d, n);
      float delta = Ternary.deltaOptimal(w, 0, n);
      double brute = bruteForceBest(w, 0, n);
      double got = Ternary.objective(w, 0, n, delta);
      assertEquals(brute, got, 1e-12 * brute, "n=" + n + " " + d);
      // the delta is a threshold set's canonical cut: 0 or one of the magnitudes
      boolean canonical = delta == 0f;
      for (float x : w) {
        canonical |= Math.abs(x) == delta;
      }
      assertTrue(canonical, "delta " + delta + " is not 0 or a magnitude");
      checked++;
    }
    assertEquals(20_000, checked);
  }

  @Test
  void deltaOptimalEqualsBruteForceOnSubSlices() {
    Random r = new Random(12);
    for (int trial = 0; trial < 2000; trial++) {
      float[] w = RandomTensors.draw(r, Dist.TIES, 30);
      int from = r.nextInt(30);
      int to = from + r.nextInt(Math.min(12, 30 - from) + 1);
      double brute = bruteForceBest(w, from, to);
      assertEquals(
          brute, Ternary.objective(w, from, to, Ternary.deltaOptimal(w, from, to)), 1e-12 * brute);
    }
  }

  @Test
  void optimalScoresAtLeastAsWellAsFactorPointSevenOnThousandsOfTensors() {
    Random r = new Random(13);
    int tensors = 0;
    for (Dist d : RandomTensors.NON_DEGENERATE) {
      for (int trial = 0; trial < 200; trial++) {
        float[] w = RandomTensors.draw(r, d, RandomTensors.size(r));
        int n = w.length;
        double optimal = Ternary.objective(w, 0, n, Ternary.deltaOptimal(w, 0, n));
        double factor = Ternary.objective(w, 0, n, Ternary.deltaFactor(w, 0, n, 0.7));
        assertCloseOrBetter(factor, optimal, d + " n=" + n);
        // and against a few other factors, which the exact maximiser must also dominate
        for (double f : new double[] {0, 0.3, 0.5, 1.0, 1.5}) {
          assertCloseOrBetter(
              Ternary.objective(w, 0, n, Ternary.deltaFactor(w, 0, n, f)), optimal, d + " f=" + f);
        }
        tensors++;
      }
    }
    assertTrue(tensors >= 1000, "tensors " + tensors);
  }

  @Test
  void optimalNeverHasHigherErrorThanFactorLayerOrChannel() {
    Random r = new Random(14);
    for (int trial = 0; trial < 600; trial++) {
      int[] l = RandomTensors.layout(r);
      float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), l[0] * l[1]);
      for (Granularity g : Granularity.values()) {
        double opt = Ternary.twn(w, l[0], g, DeltaRule.optimal()).relativeError(w);
        double fac = Ternary.twn(w, l[0], g, DeltaRule.twn()).relativeError(w);
        assertTrue(opt <= fac + 1e-9, g + ": optimal " + opt + " > factor " + fac);
      }
    }
  }

  @Test
  void alphaIsTheLeastSquaresScaleForAFixedDelta() {
    Random r = new Random(15);
    double[] eps = {0.5, 0.1, 1e-2, 1e-3};
    for (int trial = 0; trial < 1500; trial++) {
      int[] l = RandomTensors.layout(r);
      float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), l[0] * l[1]);
      Granularity g = trial % 2 == 0 ? Granularity.LAYER : Granularity.CHANNEL;
      DeltaRule rule = trial % 3 == 0 ? DeltaRule.optimal() : new DeltaRule.Factor(0.7);
      Quantized q = Ternary.twn(w, l[0], g, rule);
      int groups = g.groups(l[0]);
      int per = w.length / groups;
      for (int gi = 0; gi < groups; gi++) {
        int from = gi * per;
        int to = from + per;
        float delta = rule.delta(w, from, to);
        double alpha = q.scales()[gi];
        double best = error(w, from, to, delta, alpha);
        for (double e : eps) {
          assertTrue(
              best <= error(w, from, to, delta, alpha * (1 + e)),
              "alpha*(1+" + e + ") beats alpha");
          assertTrue(
              best <= error(w, from, to, delta, alpha * (1 - e)),
              "alpha*(1-" + e + ") beats alpha");
        }
      }
    }
  }

  @Test
  void errorIdentityLinksTheObjectiveToTheSquaredError() {
    // ||w - alpha t||^2 = ||w||^2 - S^2/|I| at the best alpha: why maximising the objective is
    // right
    Random r = new Random(16);
    for (int trial = 0; trial < 300; trial++) {
      float[] w = RandomTensors.draw(r, Dist.GAUSSIAN, 1 + r.nextInt(500));
      int n = w.length;
      float delta = Ternary.deltaFactor(w, 0, n, 0.7);
      double sq = 0;
      for (float x : w) {
        sq += (double) x * x;
      }
      Quantized q = Ternary.twn(w, 1, Granularity.LAYER, new DeltaRule.Factor(0.7));
      double err = error(w, 0, n, delta, q.scales()[0]);
      assertEquals(sq - Ternary.objective(w, 0, n, delta), err, 1e-5 * sq);
    }
  }

  @Test
  void distinctValuesMatchTheTernaryPattern() {
    Random r = new Random(17);
    for (int trial = 0; trial < 1500; trial++) {
      int[] l = RandomTensors.layout(r);
      int channels = l[0];
      Dist d = trial % 10 == 0 ? Dist.ZEROS : RandomTensors.anyNonDegenerate(r);
      float[] w = RandomTensors.draw(r, d, channels * l[1]);
      DeltaRule rule = trial % 2 == 0 ? DeltaRule.optimal() : DeltaRule.twn();

      Quantized layer = Ternary.twn(w, channels, Granularity.LAYER, rule);
      assertEquals(
          expectedDistinct(w, 0, w.length, rule.delta(w, 0, w.length)), layer.distinctValues());
      assertTrue(layer.distinctValues() <= 3);
      assertCodesMatchValues(layer, w, 1);

      Quantized channel = Ternary.twn(w, channels, Granularity.CHANNEL, rule);
      assertTrue(channel.distinctValues() <= 2 * channels + 1);
      assertEquals(channels, channel.scales().length);
      int per = l[1];
      for (int c = 0; c < channels; c++) {
        float[] slice = java.util.Arrays.copyOfRange(channel.values(), c * per, (c + 1) * per);
        assertEquals(
            expectedDistinct(w, c * per, (c + 1) * per, rule.delta(w, c * per, (c + 1) * per)),
            Quantized.distinctValues(slice),
            "channel " + c);
      }
      assertCodesMatchValues(channel, w, channels);
    }
  }

  /** +alpha if some w > delta, -alpha if some w < -delta, 0 if some |w| <= delta. */
  private static int expectedDistinct(float[] w, int from, int to, float delta) {
    boolean pos = false;
    boolean neg = false;
    boolean zero = false;
    for (int i = from; i < to; i++) {
      pos |= w[i] > delta;
      neg |= w[i] < -delta;
      zero |= Math.abs(w[i]) <= delta;
    }
    return (pos ? 1 : 0) + (neg ? 1 : 0) + (zero ? 1 : 0);
  }

  private static void assertCodesMatchValues(Quantized q, float[] w, int groups) {
    int per = w.length / groups;
    for (int i = 0; i < w.length; i++) {
      float alpha = q.scales()[i / per];
      int code = q.codes()[i];
      float expected = code == 2 ? alpha : code == 0 ? -alpha : 0f;
      assertEquals(expected, q.values()[i], 0f, "value " + i);
      assertTrue(code >= 0 && code <= 2);
      // the sign of the code follows the weight
      assertTrue(code == 1 || Math.signum(w[i]) == code - 1, "code sign " + i);
    }
  }

  @Test
  void perChannelScalesAreTheLayerRuleAppliedToEachChannel() {
    Random r = new Random(18);
    float[] w = RandomTensors.draw(r, Dist.MIXED_SCALE, 8 * 50);
    Quantized ch = Ternary.twn(w, 8, Granularity.CHANNEL, DeltaRule.optimal());
    for (int c = 0; c < 8; c++) {
      float[] slice = java.util.Arrays.copyOfRange(w, c * 50, (c + 1) * 50);
      Quantized one = Ternary.twn(slice, 1, Granularity.LAYER, DeltaRule.optimal());
      assertEquals(one.scales()[0], ch.scales()[c], 0f);
      assertArrayEquals(
          one.values(), java.util.Arrays.copyOfRange(ch.values(), c * 50, (c + 1) * 50), 0f);
    }
    // channels of very different size: per-channel scales must fit far better
    assertTrue(
        ch.relativeError(w)
            < Ternary.twn(w, 8, Granularity.LAYER, DeltaRule.optimal()).relativeError(w));
  }

  @Test
  void aFactorAboveEveryMagnitudeZeroesTheGroup() {
    float[] w = {0.1f, -0.2f, 0.3f};
    Quantized q = Ternary.twn(w, 1, Granularity.LAYER, new DeltaRule.Factor(100));
    assertArrayEquals(new float[] {0f, 0f, 0f}, q.values(), 0f);
    assertArrayEquals(new float[] {0f}, q.scales(), 0f);
    assertEquals(1.0, q.relativeError(w), 1e-12);
  }

  @Test
  void rejectsBadInput() {
    float[] w = {1f, 2f, 3f, 4f};
    DeltaRule rule = DeltaRule.twn();
    assertThrows(
        IllegalArgumentException.class, () -> Ternary.twn(w, 3, Granularity.CHANNEL, rule));
    assertThrows(IllegalArgumentException.class, () -> Ternary.twn(w, 0, Granularity.LAYER, rule));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.twn(new float[0], 1, Granularity.LAYER, rule));
    assertThrows(
        IllegalArgumentException.class, () -> Ternary.twn(null, 1, Granularity.LAYER, rule));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.twn(new float[] {1f, Float.NaN}, 1, Granularity.LAYER, rule));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.twn(new float[] {1f, Float.POSITIVE_INFINITY}, 1, Granularity.LAYER, rule));
    assertThrows(IllegalArgumentException.class, () -> new DeltaRule.Factor(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new DeltaRule.Factor(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Ternary.deltaOptimal(w, 2, 5));
    assertThrows(IllegalArgumentException.class, () -> Ternary.deltaFactor(w, 3, 2, 0.7));
    assertThrows(IllegalArgumentException.class, () -> Ternary.objective(w, 0, 4, Float.NaN));
  }

  @Test
  void rulesHaveLabelsForReports() {
    assertEquals("optimal", DeltaRule.optimal().label());
    assertEquals("0.7*mean|w|", DeltaRule.twn().label());
    assertEquals(new DeltaRule.Factor(0.7), DeltaRule.twn());
  }
}
