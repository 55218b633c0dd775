package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.nn.QuantizableLayer;
import io.qrbench.spi.Quantizer;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.spi.packed.Packing;
import java.util.List;
import java.util.Optional;

/**
 * The quantizer contract's one dependence on the packed format: kept here, alone, so that a new
 * format changes this class and nothing else. A packed tensor must decode, without knowing the
 * quantizer, to exactly the kernel its quantizer left in the model, and survive a packed file.
 */
final class PackedFormatCheck {
  private PackedFormatCheck() {}

  /**
   * Checks {@code quantizer.pack} for one layer after {@code quantize} ran.
   *
   * @param quantized whether the quantizer's summary says it quantized this layer
   */
  static <C extends Record> void assertPackDecodesToTheKernel(
      Quantizer<C> quantizer, C config, QuantizableLayer layer, boolean quantized) {
    String name = layer.info().name();
    Optional<PackedTensor> packed = quantizer.pack(config, layer);
    if (!quantized) {
      assertTrue(packed.isEmpty(), name + ": kept in full precision, so pack() is empty");
      return;
    }
    if (packed.isEmpty()) {
      fail(name + ": quantized, so pack() gives its packed form");
    }
    PackedTensor t = packed.get();
    long[] shape = layer.weight().getArray().getShape().getShape();
    assertArrayEquals(
        java.util.Arrays.stream(shape).mapToInt(Math::toIntExact).toArray(),
        t.shape(),
        name + ": the packed tensor's shape");
    float[] kernel = layer.weight().getArray().toFloatArray();
    float[] decoded = t.values();
    assertEquals(kernel.length, decoded.length, name + ": decoded values");
    for (int j = 0; j < kernel.length; j++) {
      if (Float.floatToIntBits(kernel[j]) != Float.floatToIntBits(decoded[j])) {
        fail(
            name
                + ": weight "
                + j
                + " decodes to "
                + decoded[j]
                + " but quantize() left "
                + kernel[j]
                + " (pack must store exactly what quantize computes)");
      }
    }
    assertEquals(
        t,
        Packing.decode(Packing.encode(List.of(t))).get(0),
        name + ": the packed tensor read back from a" + " packed file");
  }
}
