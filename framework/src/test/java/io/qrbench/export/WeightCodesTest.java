package io.qrbench.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightCodesTest {

  @Test
  void ternaryKernelsKeepTheirCodesAndScale() {
    float a = 0.0731f;
    float[] k = {a, 0, -a, a, /* channel 2 */ 0, 0, a, -a};
    WeightCodes c = WeightCodes.of(k, 2);
    assertTrue(c.exact());
    assertArrayEquals(new byte[] {1, 0, -1, 1, 0, 0, 1, -1}, c.codes());
    assertArrayEquals(new float[] {a, a}, c.scales());
    assertArrayEquals(new int[] {1, 1}, c.levels());
    assertArrayEquals(k, c.values());
  }

  @Test
  void symmetricFourBitCodesAreFoundExactly() {
    float step = 0.013f;
    Random r = new Random(3);
    float[] k = new float[64];
    for (int i = 0; i < k.length; i++) {
      k[i] = step * (r.nextInt(15) - 7);
    }
    k[5] = 7 * step; // the channel reaches the top level
    WeightCodes c = WeightCodes.of(k, 1);
    assertTrue(c.exact());
    assertEquals(7, c.levels()[0]);
    for (int i = 0; i < k.length; i++) {
      assertEquals(Math.round(k[i] / step), c.codes()[i]);
    }
  }

  @Test
  void anAsymmetricTernaryCodebookTakesTheFewestLevelsThatHoldBothValues() {
    // TTQ-like {-0.3, 0, 0.5}: 0.1 x {-3, 0, 5}
    float[] k = {0.5f, -0.3f, 0, 0.5f, -0.3f};
    WeightCodes c = WeightCodes.of(k, 1);
    assertTrue(c.exact());
    assertEquals(5, c.levels()[0]);
    assertArrayEquals(new byte[] {5, -3, 0, 5, -3}, c.codes());
  }

  @Test
  void fullPrecisionWeightsTakeAll127LevelsWithinHalfAStep() {
    Random r = new Random(5);
    float[] k = new float[300];
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) r.nextGaussian();
    }
    WeightCodes c = WeightCodes.of(k, 3);
    assertFalse(c.exact());
    float[] v = c.values();
    for (int ch = 0; ch < 3; ch++) {
      double step = c.scales()[ch];
      for (int i = ch * 100; i < (ch + 1) * 100; i++) {
        assertTrue(Math.abs(v[i] - k[i]) <= step / 2 + 1e-7, "weight " + i);
      }
    }
    assertTrue(c.maxError() <= c.maxAbs() / 2 / c.levels()[0] * 1.0001);
  }

  @Test
  void foldingAFactorScalesAndFlipsPerChannelAndKeepsScalesPositive() {
    float a = 0.5f;
    WeightCodes c = WeightCodes.of(new float[] {a, -a, 0, a}, 2).folded(new double[] {-2, 0.25});
    assertArrayEquals(new byte[] {-1, 1, 0, 1}, c.codes());
    assertArrayEquals(new float[] {1.0f, 0.125f}, c.scales());
    assertArrayEquals(new float[] {-1.0f, 1.0f, 0, 0.125f}, c.values());
  }

  @Test
  void anAllZeroChannelGetsAPositiveScale() {
    WeightCodes c = WeightCodes.of(new float[] {0, 0, 0.2f, -0.2f}, 2);
    assertTrue(c.scales()[0] > 0);
    assertArrayEquals(new byte[] {0, 0, 1, -1}, c.codes());
  }
}
