package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qrbench.spi.packed.Decoding;
import org.junit.jupiter.api.Test;

class QuantizedTest {

  /** Values as they are, as the codes 0, 1, 2, ... of a one-value-per-group, 3-level codebook. */
  private static Quantized of(float... values) {
    if (values.length == 0) {
      return Quantized.of(new byte[0], Decoding.grid(3, 1, new float[] {1f}));
    }
    float[] book = new float[3 * values.length];
    for (int i = 0; i < values.length; i++) {
      book[3 * i + 1] = values[i];
    }
    byte[] codes = new byte[values.length];
    java.util.Arrays.fill(codes, (byte) 1);
    return Quantized.of(codes, Decoding.codebookPerGroup(3, book));
  }

  @Test
  void relativeErrorAndZeroFractionOnAHandMadeExample() {
    Quantized q = of(1f, -2f, 1f, 0f);
    float[] w = {1f, -2f, 0f, 4f};
    // differences 0, 0, -1, 4: 17; ||w||^2 = 1 + 4 + 0 + 16 = 21
    assertEquals(17.0 / 21.0, q.relativeError(w), 1e-15);
    assertEquals(0.25, q.zeroFraction(), 0);
    assertEquals(3, q.distinctValues());
  }

  @Test
  void relativeErrorIsZeroForAPerfectFitAndForAnAllZeroTensor() {
    float[] w = {0.5f, -0.25f, 3f};
    assertEquals(0.0, of(w.clone()).relativeError(w), 0);
    assertEquals(0.0, of(0f, 0f, 0f).relativeError(new float[] {0f, -0f, 0f}), 0);
  }

  @Test
  void relativeErrorIsOneWhenEverythingIsZeroed() {
    assertEquals(1.0, of(0f, 0f).relativeError(new float[] {3f, -7f}), 1e-15);
  }

  @Test
  void plusAndMinusZeroAreOneDistinctValueAndBothCountAsZero() {
    Quantized q = of(0f, -0f, 0f, 1.5f, -1.5f);
    assertEquals(3, q.distinctValues());
    assertEquals(0.6, q.zeroFraction(), 1e-15);
  }

  @Test
  void relativeErrorRejectsALengthMismatch() {
    assertThrows(IllegalArgumentException.class, () -> of(1f, 2f).relativeError(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> of(1f, 2f).relativeError(null));
  }

  @Test
  void factoriesRejectInconsistentFields() {
    Decoding twn = Decoding.grid(3, 1, new float[] {1f});
    assertThrows(
        IllegalArgumentException.class, () -> Quantized.of(new byte[] {3}, twn)); // code >= levels
    assertThrows(
        IllegalArgumentException.class,
        () -> Quantized.of(new byte[3], Decoding.grid(3, 1, new float[2]))); // 3 codes, 2 groups
    assertThrows(IllegalArgumentException.class, () -> Quantized.of(new byte[2], Decoding.raw()));
    assertThrows(IllegalArgumentException.class, () -> Quantized.of(null, twn));
    assertThrows(IllegalArgumentException.class, () -> Quantized.of(new byte[2], null));
    assertThrows(IllegalArgumentException.class, () -> Quantized.of(new byte[2], twn, null));
  }

  @Test
  void valuesAreTheDecodingOfTheCodesAndSizesCountTheScales() {
    Decoding d = Decoding.grid(3, 1, new float[] {0.5f, 2f});
    Quantized q = Quantized.of(new byte[] {0, 1, 2, 2}, d, new float[] {0.5f, 2f});
    assertArrayEquals(new float[] {-0.5f, 0f, 2f, 2f}, q.values());
    assertEquals(3, q.levels());
    assertEquals(2, q.bits());
    assertEquals(1 + 2 * 4, q.packedBytes()); // four trits in one byte, two float scales
    Quantized book = Quantized.of(new byte[] {0, 1}, Decoding.codebook(-1f, 1f, 0f, 0f));
    assertEquals(1 + 4 * 4, book.packedBytes(), "by default every float of the decoding counts");
    assertArrayEquals(q.values(), q.pack("w", new int[] {2, 2}, "twn").values());
  }

  @Test
  void equalityComparesContentsAndPackedBitsAreExact() {
    Quantized a = of(1f, 0f);
    Quantized b = of(1f, 0f);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, of(1f, 2f));
    assertEquals(1.6, a.packedBitsPerWeight(), 0);
    assertEquals(0, of().distinctValues());
    assertEquals(0.0, of().zeroFraction(), 0);
  }
}
