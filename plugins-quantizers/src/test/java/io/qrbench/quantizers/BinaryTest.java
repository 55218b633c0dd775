package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.quantizers.RandomTensors.Dist;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryTest {

  @Test
  void handMadeLayerWithZeroGoingUp() {
    float[] w = {0.5f, -1.5f, 0f, -0f, 2f};
    Quantized q = Binary.bwn(w, 1, Granularity.LAYER);
    float a = 0.8f; // (0.5 + 1.5 + 0 + 0 + 2) / 5
    assertArrayEquals(new float[] {a, -a, a, a, a}, q.values(), 0f);
    assertArrayEquals(new byte[] {1, 0, 1, 1, 1}, q.codes());
    assertArrayEquals(new float[] {a}, q.scales(), 0f);
    assertEquals(1, q.bits());
    assertEquals(2, q.levels());
    assertEquals(0.0, q.zeroFraction(), 0);
  }

  @Test
  void allZeroGroupGivesPositiveZeros() {
    Quantized q = Binary.bwn(new float[] {0f, -0f, 1f, -3f}, 2, Granularity.CHANNEL);
    assertArrayEquals(new float[] {0f, 2f}, q.scales(), 0f);
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(q.values()[0]));
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(q.values()[1]));
    assertArrayEquals(new float[] {0f, 0f, 2f, -2f}, q.values(), 0f);
  }

  @Test
  void twoValuesPerGroupAndAlphaIsLeastSquares() {
    Random r = new Random(31);
    for (int trial = 0; trial < 1000; trial++) {
      int[] l = RandomTensors.layout(r);
      int channels = l[0];
      float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), channels * l[1]);
      for (Granularity g : Granularity.values()) {
        Quantized q = Binary.bwn(w, channels, g);
        int groups = g.groups(channels);
        int per = w.length / groups;
        assertTrue(q.distinctValues() <= 2 * groups);
        for (int gi = 0; gi < groups; gi++) {
          int from = gi * per;
          int to = from + per;
          boolean pos = false;
          boolean neg = false;
          for (int i = from; i < to; i++) {
            pos |= w[i] >= 0;
            neg |= w[i] < 0;
          }
          float[] slice = java.util.Arrays.copyOfRange(q.values(), from, to);
          int distinct = Quantized.distinctValues(slice);
          assertEquals((pos ? 1 : 0) + (neg ? 1 : 0), distinct);
          double alpha = q.scales()[gi];
          double best = error(w, from, to, alpha);
          for (double e : new double[] {0.5, 0.1, 1e-2, 1e-3}) {
            assertTrue(best <= error(w, from, to, alpha * (1 + e)));
            assertTrue(best <= error(w, from, to, alpha * (1 - e)));
          }
        }
      }
    }
  }

  private static double error(float[] w, int from, int to, double alpha) {
    double e = 0;
    for (int i = from; i < to; i++) {
      double d = w[i] - (w[i] >= 0 ? alpha : -alpha);
      e += d * d;
    }
    return e;
  }

  @Test
  void gaussianErrorIsNearTheTheoreticalOneMinusTwoOverPi() {
    // for N(0,1): E|w| = sqrt(2/pi), so the relative error is 1 - 2/pi ~ 0.363
    float[] w = RandomTensors.draw(new Random(32), Dist.GAUSSIAN, 200_000);
    double err = Binary.bwn(w, 1, Granularity.LAYER).relativeError(w);
    assertEquals(1 - 2 / Math.PI, err, 0.01);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Binary.bwn(new float[] {1f, 2f, 3f}, 2, Granularity.LAYER));
    assertThrows(
        IllegalArgumentException.class,
        () -> Binary.bwn(new float[] {Float.NaN}, 1, Granularity.LAYER));
  }
}
