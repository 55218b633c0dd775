package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantizedTest {

  private static Quantized of(float... values) {
    return new Quantized(values, new byte[values.length], new float[] {1f}, 2, 3);
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
  void constructorRejectsInconsistentFields() {
    assertThrows(IllegalArgumentException.class,
        () -> new Quantized(new float[2], new byte[3], new float[1], 2, 3));
    assertThrows(IllegalArgumentException.class,
        () -> new Quantized(new float[2], new byte[2], new float[1], 1, 3)); // bits too few
    assertThrows(IllegalArgumentException.class,
        () -> new Quantized(new float[2], new byte[2], new float[1], 8, 257));
    assertThrows(IllegalArgumentException.class,
        () -> new Quantized(null, new byte[2], new float[1], 1, 2));
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
