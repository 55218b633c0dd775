package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.quantizers.RandomTensors.Dist;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TtqTest {

  @Test
  void handMadeLayerUsesExactlyTheGivenScales() {
    float[] w = {1.0f, -0.04f, 0.06f, -0.5f, 0.05f, -0.06f};
    // delta = 0.05 * 1.0 = 0.05: 0.05 itself is not above it
    Quantized q =
        Ternary.ttq(w, 1, Granularity.LAYER, 0.05, new float[] {0.7f}, new float[] {0.3f});
    assertArrayEquals(new float[] {0.7f, 0f, 0.7f, -0.3f, 0f, -0.3f}, q.values(), 0f);
    assertArrayEquals(new byte[] {2, 1, 2, 0, 1, 0}, q.codes());
    assertArrayEquals(new float[] {0.7f, 0.3f}, q.scales(), 0f);
    assertEquals(3, q.levels());
    assertEquals(2, q.bits());
    assertEquals(0.05f, Ternary.deltaTtq(w, 0, 6, 0.05), 0f);
  }

  @Test
  void perChannelScalesAreInterleavedPositiveThenNegative() {
    float[] w = {1f, -1f, 0f, 2f, -2f, 0f};
    Quantized q =
        Ternary.ttq(
            w, 2, Granularity.CHANNEL, 0.05, new float[] {1.5f, 2.5f}, new float[] {0.5f, 4f});
    assertArrayEquals(new float[] {1.5f, 0.5f, 2.5f, 4f}, q.scales(), 0f);
    assertArrayEquals(new float[] {1.5f, -0.5f, 0f, 2.5f, -4f, 0f}, q.values(), 0f);
  }

  @Test
  void randomTensorsTakeOnlyTheGivenLevels() {
    Random r = new Random(21);
    for (int trial = 0; trial < 1000; trial++) {
      int[] l = RandomTensors.layout(r);
      int channels = l[0];
      int per = l[1];
      float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), channels * per);
      double t = trial % 4 == 0 ? Ternary.TTQ_THRESHOLD : r.nextDouble() * 0.5;
      Granularity g = trial % 2 == 0 ? Granularity.LAYER : Granularity.CHANNEL;
      int groups = g.groups(channels);
      float[] wp = new float[groups];
      float[] wn = new float[groups];
      for (int i = 0; i < groups; i++) {
        wp[i] = 0.01f + r.nextFloat();
        wn[i] = 0.01f + r.nextFloat();
      }
      Quantized q = Ternary.ttq(w, channels, g, t, wp, wn);
      int size = w.length / groups;
      for (int gi = 0; gi < groups; gi++) {
        float max = 0f;
        for (int i = gi * size; i < (gi + 1) * size; i++) {
          max = Math.max(max, Math.abs(w[i]));
        }
        float delta = (float) (t * max);
        Set<Float> seen = new HashSet<>();
        Set<Float> expected = new HashSet<>();
        for (int i = gi * size; i < (gi + 1) * size; i++) {
          float v = q.values()[i];
          float want = w[i] > delta ? wp[gi] : w[i] < -delta ? -wn[gi] : 0f;
          assertEquals(want, v, 0f, "value " + i);
          seen.add(v);
          expected.add(want);
        }
        assertTrue(Set.of(wp[gi], -wn[gi], 0f).containsAll(seen));
        assertEquals(expected, seen);
        assertEquals(wp[gi], q.scales()[2 * gi], 0f);
        assertEquals(wn[gi], q.scales()[2 * gi + 1], 0f);
      }
      assertTrue(q.distinctValues() <= (g == Granularity.LAYER ? 3 : 2 * channels + 1));
    }
  }

  @Test
  void initialScalesAreTheMeanMagnitudeOfEachSide() {
    float[] w = {1.0f, 0.5f, -0.2f, -0.4f, 0.01f, -0.03f};
    float[][] s = Ternary.ttqInitialScales(w, 1, Granularity.LAYER, 0.05);
    assertEquals((float) ((1.0f + (double) 0.5f) / 2), s[0][0], 0f);
    assertEquals((float) ((0.2f + (double) 0.4f) / 2), s[1][0], 0f);
  }

  @Test
  void anEmptySideBorrowsTheOtherSideAndAnEmptyGroupGetsOne() {
    float[] w = {
      1f, 0.5f, 0f, 0f, /* channel 2 */ -2f, -1f, 0.01f, 0f, /* channel 3 */ 0f, 0f, -0f, 0f
    };
    float[][] s = Ternary.ttqInitialScales(w, 3, Granularity.CHANNEL, 0.05);
    assertArrayEquals(new float[] {0.75f, 1.5f, 1f}, s[0], 0f);
    assertArrayEquals(new float[] {0.75f, 1.5f, 1f}, s[1], 0f);
  }

  @Test
  void initialScalesArePositiveAndFitBetterThanOnes() {
    Random r = new Random(22);
    for (int trial = 0; trial < 300; trial++) {
      int[] l = RandomTensors.layout(r);
      float[] w = RandomTensors.draw(r, Dist.GAUSSIAN, l[0] * l[1]);
      for (Granularity g : Granularity.values()) {
        float[][] s = Ternary.ttqInitialScales(w, l[0], g, 0.05);
        for (int i = 0; i < s[0].length; i++) {
          assertTrue(s[0][i] > 0 && s[1][i] > 0);
        }
        Quantized q = Ternary.ttq(w, l[0], g, 0.05, s[0], s[1]);
        assertTrue(q.relativeError(w) < 1.0, "init fit worse than zeros: " + q.relativeError(w));
      }
    }
  }

  @Test
  void thresholdOneOrAllZeroGivesZeros() {
    float[] w = {0.3f, -0.3f};
    Quantized q = Ternary.ttq(w, 1, Granularity.LAYER, 1.0, new float[] {1f}, new float[] {1f});
    assertArrayEquals(new float[] {0f, 0f}, q.values(), 0f);
    Quantized z =
        Ternary.ttq(
            new float[] {0f, -0f}, 1, Granularity.LAYER, 0.05, new float[] {1f}, new float[] {0f});
    assertArrayEquals(new float[] {0f, 0f}, z.values(), 0f);
  }

  @Test
  void rejectsBadInput() {
    float[] w = {1f, 2f, 3f, 4f};
    float[] one = {1f};
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.ttq(w, 2, Granularity.CHANNEL, 0.05, one, one));
    assertThrows(
        IllegalArgumentException.class, () -> Ternary.ttq(w, 1, Granularity.LAYER, -0.1, one, one));
    assertThrows(
        IllegalArgumentException.class, () -> Ternary.ttq(w, 1, Granularity.LAYER, 1.5, one, one));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.ttq(w, 1, Granularity.LAYER, Double.NaN, one, one));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.ttq(w, 1, Granularity.LAYER, 0.05, new float[] {Float.NaN}, one));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.ttq(w, 1, Granularity.LAYER, 0.05, null, one));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ternary.ttqInitialScales(w, 3, Granularity.LAYER, 0.05));
  }
}
