package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.quantizers.RandomTensors.Dist;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UniformTest {

  @Test
  void roundsHalfAwayFromZero() {
    assertEquals(1.0, Uniform.roundHalfAwayFromZero(0.5), 0);
    assertEquals(-1.0, Uniform.roundHalfAwayFromZero(-0.5), 0);
    assertEquals(3.0, Uniform.roundHalfAwayFromZero(2.5), 0);
    assertEquals(-3.0, Uniform.roundHalfAwayFromZero(-2.5), 0);
    assertEquals(2.0, Uniform.roundHalfAwayFromZero(1.5), 0);
    assertEquals(1.0, Uniform.roundHalfAwayFromZero(1.4999999), 0);
    assertEquals(0.0, Uniform.roundHalfAwayFromZero(0.49999999999999994), 0);
    assertEquals(0.0, Uniform.roundHalfAwayFromZero(0.0), 0);
  }

  @Test
  void handMadeThreeBitLayerWithExactHalves() {
    // max 3, qmax 3: s = 1 exactly, so the halves are exact
    float[] w = {3f, 1.5f, -1.5f, 0.5f, -0.5f, 2.5f, -2.5f, 0.49f, -3f};
    Quantized q = Uniform.symmetric(w, 1, Granularity.LAYER, 3);
    assertArrayEquals(new float[] {3f, 2f, -2f, 1f, -1f, 3f, -3f, 0f, -3f}, q.values(), 0f);
    assertArrayEquals(new byte[] {6, 5, 1, 4, 2, 6, 0, 3, 0}, q.codes());
    assertArrayEquals(new float[] {1f}, q.scales(), 0f);
    assertEquals(3, q.bits());
    assertEquals(7, q.levels());
  }

  @Test
  void twoBitsIsThreeLevels() {
    float[] w = {1f, 0.4f, -0.6f, -1f};
    Quantized q = Uniform.symmetric(w, 1, Granularity.LAYER, 2);
    assertArrayEquals(new float[] {1f, 0f, -1f, -1f}, q.values(), 0f);
    assertArrayEquals(new byte[] {2, 1, 0, 0}, q.codes());
    assertEquals(3, q.levels());
    assertEquals(2, q.bits());
  }

  @Test
  void allZeroGroupHasZeroScaleAndTheMiddleCode() {
    Quantized q = Uniform.symmetric(new float[] {0f, -0f, 1f, -1f}, 2, Granularity.CHANNEL, 4);
    assertArrayEquals(new float[] {0f, 1f / 7}, q.scales(), 0f);
    assertArrayEquals(new byte[] {7, 7, 14, 0}, q.codes());
    assertArrayEquals(new float[] {0f, 0f, 1f, -1f}, q.values(), 1e-6f);
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(q.values()[1]));
  }

  @Test
  void everyWeightIsWithinHalfAStepAndCodesAreInRange() {
    Random r = new Random(41);
    for (int trial = 0; trial < 1500; trial++) {
      int[] l = RandomTensors.layout(r);
      int channels = l[0];
      float[] w =
          RandomTensors.draw(
              r, trial % 20 == 0 ? Dist.ZEROS : RandomTensors.anyNonDegenerate(r), channels * l[1]);
      int bits = 2 + r.nextInt(7);
      int qmax = (1 << (bits - 1)) - 1;
      for (Granularity g : Granularity.values()) {
        Quantized q = Uniform.symmetric(w, channels, g, bits);
        assertEquals(bits, q.bits());
        assertEquals((1 << bits) - 1, q.levels());
        int groups = g.groups(channels);
        int per = w.length / groups;
        for (int gi = 0; gi < groups; gi++) {
          float max = 0f;
          for (int i = gi * per; i < (gi + 1) * per; i++) {
            max = Math.max(max, Math.abs(w[i]));
          }
          float s = q.scales()[gi];
          assertEquals((float) ((double) max / qmax), s, 0f);
          double tolerance = s / 2.0 + Math.ulp(max);
          for (int i = gi * per; i < (gi + 1) * per; i++) {
            assertTrue(
                Math.abs((double) w[i] - q.values()[i]) <= tolerance,
                "weight " + i + ": |" + w[i] + " - " + q.values()[i] + "| > s/2 = " + s / 2);
            int code = q.codes()[i] & 0xFF;
            assertTrue(code <= 2 * qmax, "code " + code);
            assertEquals((code - qmax) * s, q.values()[i], 0f);
          }
          float[] slice = java.util.Arrays.copyOfRange(q.values(), gi * per, (gi + 1) * per);
          int distinct = Quantized.distinctValues(slice);
          assertTrue(distinct <= (1 << bits) - 1, "distinct " + distinct);
        }
        assertTrue(q.distinctValues() <= groups * ((1 << bits) - 1));
      }
    }
  }

  @Test
  void moreBitsGiveLessErrorOnGaussianWeights() {
    Random r = new Random(42);
    for (int trial = 0; trial < 50; trial++) {
      float[] w = RandomTensors.draw(r, Dist.GAUSSIAN, 16 * 288);
      for (Granularity g : Granularity.values()) {
        double[] err = new double[9];
        for (int bits = 2; bits <= 8; bits++) {
          err[bits] = Uniform.symmetric(w, 16, g, bits).relativeError(w);
        }
        for (int bits = 3; bits <= 8; bits++) {
          assertTrue(err[bits] < err[bits - 1], g + " " + bits + " bits");
        }
        // each extra bit roughly quarters the error once the step is fine
        assertTrue(err[8] * 100 < err[4], "8-bit " + err[8] + " vs 4-bit " + err[4]);
        assertTrue(err[4] * 3 < err[2], "4-bit " + err[4] + " vs 2-bit " + err[2]);
      }
    }
  }

  @Test
  void rejectsBitsOutsideTwoToEight() {
    float[] w = {1f, 2f};
    for (int bits : new int[] {-1, 0, 1, 9, 16, 32}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> Uniform.symmetric(w, 1, Granularity.LAYER, bits),
          "bits " + bits);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Uniform.symmetric(new float[] {Float.NEGATIVE_INFINITY}, 1, Granularity.LAYER, 4));
    assertEquals(127, Uniform.qmax(8));
    assertEquals(1, Uniform.qmax(2));
  }
}
