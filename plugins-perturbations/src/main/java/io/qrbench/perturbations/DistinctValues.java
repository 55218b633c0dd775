package io.qrbench.perturbations;

import java.util.Arrays;

/**
 * Counts the distinct values of a slice of floats in linear time, like {@code len(np.unique(x))}:
 * values compare as numbers, so -0.0 and 0.0 count once. Images read from 8-bit data (every value
 * exactly k/255) are counted with a 256-entry bitmap; others with an open-addressing table of float
 * bit patterns. Buffers are reused across calls; not thread-safe.
 */
final class DistinctValues {
  /**
   * A NaN bit pattern that {@link Float#floatToIntBits} never returns (it returns the canonical
   * 0x7fc00000 for every NaN), so it can mark empty slots.
   */
  private static final int EMPTY = 0x7fc00001;

  private int[] table = new int[0];
  private final boolean[] levels = new boolean[256];

  /** The number of distinct values among {@code a[from]} .. {@code a[to - 1]}. */
  int count(float[] a, int from, int to) {
    int counted = countLevels(a, from, to);
    return counted >= 0 ? counted : countBits(a, from, to);
  }

  /** The count when every value is exactly some k/255, else -1. */
  private int countLevels(float[] a, int from, int to) {
    Arrays.fill(levels, false);
    int distinct = 0;
    for (int j = from; j < to; j++) {
      int k = NoiseBatch.uint8Level(a[j]);
      if (k < 0) {
        return -1;
      }
      if (!levels[k]) {
        levels[k] = true;
        distinct++;
      }
    }
    return distinct;
  }

  private int countBits(float[] a, int from, int to) {
    int size = Integer.highestOneBit(Math.max(2, to - from) * 2 - 1) << 1; // >= 2 x length, pow2
    if (table.length != size) {
      table = new int[size];
    }
    Arrays.fill(table, EMPTY);
    int mask = size - 1;
    int shift = 32 - Integer.numberOfTrailingZeros(size);
    int distinct = 0;
    for (int j = from; j < to; j++) {
      int bits = Float.floatToIntBits(a[j] + 0.0f); // -0.0 + 0.0 is 0.0
      int slot = (bits * 0x9E3779B9) >>> shift; // Fibonacci hashing: the high bits
      while (true) {
        int t = table[slot];
        if (t == bits) {
          break;
        }
        if (t == EMPTY) {
          table[slot] = bits;
          distinct++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return distinct;
  }
}
