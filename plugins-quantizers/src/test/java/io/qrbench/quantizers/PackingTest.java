package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.spi.packed.Packing;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackingTest {

  private static byte[] randomCodes(Random r, int n, int levels) {
    byte[] c = new byte[n];
    for (int i = 0; i < n; i++) {
      c[i] = (byte) r.nextInt(levels);
    }
    return c;
  }

  @Test
  void bitsPerWeight() {
    assertEquals(1.6, Packing.bitsPerWeight(3), 0);
    assertEquals(1.0, Packing.bitsPerWeight(2), 0);
    assertEquals(2.0, Packing.bitsPerWeight(4), 0);
    for (int k = 3; k <= 8; k++) {
      assertEquals(k, Packing.bitsPerWeight((1 << k) - 1), 0, "k=" + k);
    }
    assertEquals(8.0, Packing.bitsPerWeight(256), 0);
    assertEquals(2, Packing.codeWidth(3));
    assertEquals(3, Packing.codeWidth(5));
  }

  @Test
  void payloadAndPackedBytes() {
    assertEquals(0, Packing.payloadBytes(0, 3));
    assertEquals(1, Packing.payloadBytes(5, 3));
    assertEquals(2, Packing.payloadBytes(6, 3));
    assertEquals(20, Packing.payloadBytes(100, 3));
    assertEquals(2, Packing.payloadBytes(9, 2));
    assertEquals(4, Packing.payloadBytes(7, 15)); // 28 bits
    assertEquals(3, Packing.payloadBytes(8, 7)); // 24 bits
    assertEquals(24, Packing.packedBytes(100, 3, 1));
    assertEquals(20 + 4 * 16, Packing.packedBytes(100, 3, 16));
    assertEquals(100 + 8, Packing.packedBytes(100, 255, 2));
    // a billion ternary weights: 200 MB, no int overflow
    assertEquals(200_000_000L, Packing.payloadBytes(1_000_000_000L, 3));
    assertEquals(1_000_000_000L, Packing.payloadBytes(1_000_000_000L, 255));
  }

  @Test
  void ternaryBytesAreBaseThreeDigitsLeastSignificantFirst() {
    assertArrayEquals(new byte[] {(byte) 146}, Packing.pack(new byte[] {2, 0, 1, 2, 1}, 3));
    assertArrayEquals(new byte[] {(byte) 242}, Packing.pack(new byte[] {2, 2, 2, 2, 2}, 3));
    assertArrayEquals(
        new byte[] {(byte) 146, 7}, Packing.pack(new byte[] {2, 0, 1, 2, 1, 1, 2}, 3));
  }

  @Test
  void fixedWidthIsLittleEndianBitOrder() {
    assertArrayEquals(
        new byte[] {0x01, 0x01}, Packing.pack(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1}, 2));
    assertArrayEquals(
        new byte[] {(byte) 0b1000_0001}, Packing.pack(new byte[] {1, 0, 0, 0, 0, 0, 0, 1}, 2));
    assertArrayEquals(new byte[] {29}, Packing.pack(new byte[] {5, 3}, 7)); // 5 | 3 << 3
    // 3-bit codes straddle bytes: 7,7,7 = 9 set bits
    assertArrayEquals(new byte[] {(byte) 0xFF, 0x01}, Packing.pack(new byte[] {7, 7, 7}, 8));
    assertArrayEquals(
        new byte[] {(byte) 0xFE, 0x12}, Packing.pack(new byte[] {(byte) 254, 0x12}, 255));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 5, 7, 9, 15, 16, 31, 33, 63, 127, 128, 129, 255, 256})
  void randomCodesRoundTripForManySizes(int levels) {
    Random r = new Random(51L * levels);
    for (int n = 0; n <= 64; n++) {
      byte[] codes = randomCodes(r, n, levels);
      byte[] packed = Packing.pack(codes, levels);
      assertEquals(Packing.payloadBytes(n, levels), packed.length, "n=" + n);
      assertArrayEquals(codes, Packing.unpack(packed, n, levels), "n=" + n);
    }
    for (int trial = 0; trial < 40; trial++) {
      int n = r.nextInt(20_000);
      byte[] codes = randomCodes(r, n, levels);
      assertArrayEquals(codes, Packing.unpack(Packing.pack(codes, levels), n, levels));
    }
    // the extremes: all lowest and all highest codes
    byte[] high = new byte[1003];
    java.util.Arrays.fill(high, (byte) (levels - 1));
    assertArrayEquals(high, Packing.unpack(Packing.pack(high, levels), high.length, levels));
    byte[] low = new byte[1003];
    assertArrayEquals(low, Packing.unpack(Packing.pack(low, levels), low.length, levels));
  }

  @Test
  void ternaryCountsNotDivisibleByFive() {
    Random r = new Random(52);
    for (int n = 0; n < 500; n++) {
      byte[] codes = randomCodes(r, n, 3);
      byte[] packed = Packing.pack(codes, 3);
      assertEquals((n + 4) / 5, packed.length);
      assertArrayEquals(codes, Packing.unpack(packed, n, 3), "n=" + n);
    }
  }

  @Test
  void quantizerCodesRoundTrip() {
    Random r = new Random(53);
    for (int trial = 0; trial < 200; trial++) {
      int[] l = RandomTensors.layout(r);
      float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), l[0] * l[1]);
      Quantized[] all = {
        Ternary.twn(w, l[0], Granularity.CHANNEL, DeltaRule.optimal()),
        Binary.bwn(w, l[0], Granularity.LAYER),
        Uniform.symmetric(w, l[0], Granularity.CHANNEL, 2 + trial % 7),
      };
      for (Quantized q : all) {
        byte[] packed = Packing.pack(q.codes(), q.levels());
        assertEquals(Packing.payloadBytes(w.length, q.levels()), packed.length);
        assertTrue(packed.length * 8.0 <= w.length * q.packedBitsPerWeight() + 8);
        assertArrayEquals(q.codes(), Packing.unpack(packed, w.length, q.levels()));
      }
    }
  }

  @Test
  void rejectsCodesAndLevelsOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(new byte[] {3}, 3));
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(new byte[] {7}, 7));
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(new byte[] {(byte) 255}, 255));
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(new byte[] {-1}, 2));
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(new byte[] {0}, 1));
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(new byte[] {0}, 257));
    assertThrows(IllegalArgumentException.class, () -> Packing.pack(null, 3));
    assertThrows(IllegalArgumentException.class, () -> Packing.bitsPerWeight(1));
    assertThrows(IllegalArgumentException.class, () -> Packing.payloadBytes(-1, 3));
    assertThrows(IllegalArgumentException.class, () -> Packing.packedBytes(1, 3, -1));
  }

  @Test
  void unpackRejectsCorruptPayloads() {
    // wrong length for the count
    assertThrows(IllegalArgumentException.class, () -> Packing.unpack(new byte[2], 5, 3));
    assertThrows(IllegalArgumentException.class, () -> Packing.unpack(new byte[0], 1, 2));
    assertThrows(IllegalArgumentException.class, () -> Packing.unpack(new byte[2], 8, 2));
    // a ternary byte above 3^5 - 1
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Packing.unpack(new byte[] {(byte) 243}, 5, 3));
    assertTrue(e.getMessage().contains("ternary"), e.getMessage());
    // non-zero ternary padding: 3 codes but the fourth digit set
    assertThrows(IllegalArgumentException.class, () -> Packing.unpack(new byte[] {27}, 3, 3));
    // a 3-bit code of 7 with 7 levels
    assertThrows(IllegalArgumentException.class, () -> Packing.unpack(new byte[] {7}, 1, 7));
    // non-zero padding bits after the last binary code
    assertThrows(
        IllegalArgumentException.class, () -> Packing.unpack(new byte[] {(byte) 0x80}, 7, 2));
    assertThrows(IllegalArgumentException.class, () -> Packing.unpack(null, 1, 2));
  }

  @Test
  void unpackOfRandomBytesNeverThrowsAnythingButIllegalArgument() {
    Random r = new Random(54);
    int[] levels = {2, 3, 5, 7, 15, 100, 255, 256};
    for (int trial = 0; trial < 20_000; trial++) {
      int lv = levels[r.nextInt(levels.length)];
      int n = r.nextInt(40);
      byte[] bytes = new byte[(int) Packing.payloadBytes(n, lv) + (r.nextInt(4) == 0 ? 1 : 0)];
      r.nextBytes(bytes);
      try {
        byte[] codes = Packing.unpack(bytes, n, lv);
        assertArrayEquals(bytes, Packing.pack(codes, lv)); // accepted means canonical
      } catch (IllegalArgumentException expected) {
        // fine: rejected with the documented exception
      }
    }
  }
}
