package io.qrbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.suite.AugmentSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  /** A 2-channel 4x5 image whose pixel (c, y, x) holds 100c + 10y + x + 1 (never 0). */
  private static float[] image() {
    float[] v = new float[2 * 4 * 5];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          v[c * 20 + y * 5 + x] = 100 * c + 10 * y + x + 1;
        }
      }
    }
    return v;
  }

  @Test
  void flipMirrorsEveryRowOfEveryChannel() {
    Augmenter a = new Augmenter(new AugmentSpec(0, true), 2, 4, 5);
    for (long seed = 0; seed < 20; seed++) {
      float[] v = image();
      a.apply(v, 0, new SplittableRandom(seed));
      boolean flipped = v[0] != image()[0];
      for (int c = 0; c < 2; c++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 5; x++) {
            float expected = 100 * c + 10 * y + (flipped ? 4 - x : x) + 1;
            assertEquals(expected, v[c * 20 + y * 5 + x]);
          }
        }
      }
    }
  }

  @Test
  void paddedCropShiftsContentAndFillsZerosWithinThePadding() {
    Augmenter a = new Augmenter(new AugmentSpec(2, false), 2, 4, 5);
    Set<String> shifts = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      float[] v = image();
      a.apply(v, 0, new SplittableRandom(seed));
      // recover the shift from any non-zero pixel: value - 1 = 100c + 10(y+dy) + (x+dx)
      int dy = Integer.MIN_VALUE;
      int dx = Integer.MIN_VALUE;
      for (int y = 0; y < 4 && dy == Integer.MIN_VALUE; y++) {
        for (int x = 0; x < 5; x++) {
          if (v[y * 5 + x] != 0) {
            int src = (int) v[y * 5 + x] - 1;
            dy = src / 10 - y;
            dx = src % 10 - x;
            break;
          }
        }
      }
      assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "shift within the padding");
      shifts.add(dy + "," + dx);
      for (int c = 0; c < 2; c++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 5; x++) {
            int sy = y + dy;
            int sx = x + dx;
            float expected =
                sy >= 0 && sy < 4 && sx >= 0 && sx < 5 ? 100 * c + 10 * sy + sx + 1 : 0;
            assertEquals(expected, v[c * 20 + y * 5 + x], "seed " + seed);
          }
        }
      }
    }
    assertEquals(25, shifts.size(), "every shift in [-2, 2]^2 occurs");
  }

  @Test
  void sameSeedSameAugmentationAndOffsetsAreRespected() {
    Augmenter a = new Augmenter(AugmentSpec.standard(), 2, 4, 5);
    float[] one = image();
    a.apply(one, 0, new SplittableRandom(7));
    float[] two = new float[60];
    System.arraycopy(image(), 0, two, 20, 40);
    a.apply(two, 20, new SplittableRandom(7));
    float[] tail = new float[40];
    System.arraycopy(two, 20, tail, 0, 40);
    assertArrayEquals(one, tail);
    assertArrayEquals(
        new float[20], java.util.Arrays.copyOf(two, 20), "nothing before the offset is touched");
  }

  @Test
  void disabledAugmentationChangesNothing() {
    float[] v = image();
    new Augmenter(AugmentSpec.none(), 2, 4, 5).apply(v, 0, new SplittableRandom(1));
    assertArrayEquals(image(), v);
  }
}
