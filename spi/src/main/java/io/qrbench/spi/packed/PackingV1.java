package io.qrbench.spi.packed;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reader of packed files of version 1, which named a scheme per tensor instead of storing its
 * decoding. Each of the five schemes maps to the {@link Decoding} whose float expression is the one
 * version 1 used, so the values come out bit for bit as before:
 *
 * <ul>
 *   <li>{@code fp32}: raw floats;
 *   <li>{@code ternary} (TWN, one {@code a} per group): per-group codebook {@code {0 - a, 0, a}};
 *   <li>{@code ttq} ({@code Wp, Wn} per group, interleaved): per-group codebook {@code {0 - Wn, 0,
 *       Wp}};
 *   <li>{@code binary} (one {@code a} per group): per-group codebook {@code {0 - a, a}};
 *   <li>{@code uniform} (levels {@code 2^k - 1}, one {@code s} per group): the grid {@code (c -
 *       (2^(k-1) - 1)) * s}.
 * </ul>
 *
 * <p>Version 1 per tensor, after the name: scheme (u8 length + ASCII), rank (u8) and u32
 * dimensions, count (u32), levels (u16), scales (u32 count + floats), payload (u32 length + bytes).
 * Its groups were 1 or {@code shape[0]}.
 */
final class PackingV1 {
  // name length + scheme length + rank + count + levels + scale count + payload length
  private static final int MIN_TENSOR_BYTES = 2 + 1 + 1 + 4 + 2 + 4 + 4;
  private static final float[] NONE = new float[0];

  private PackingV1() {}

  static List<PackedTensor> readTensors(ByteBuffer b) {
    long n = Integer.toUnsignedLong(b.getInt());
    if (n > b.remaining() / MIN_TENSOR_BYTES) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + n + " tensors cannot fit in " + b.remaining() + " bytes");
    }
    List<PackedTensor> out = new ArrayList<>((int) n);
    for (int k = 0; k < n; k++) {
      String where = "tensor " + k;
      String name = Packing.name(b, where);
      where = "tensor " + k + " ('" + name + "')";
      Packing.need(b, 1, where + " scheme length");
      String scheme =
          new String(
              Packing.bytes(b, Byte.toUnsignedInt(b.get()), where + " scheme"),
              StandardCharsets.US_ASCII);
      int[] shape = Packing.shape(b, where);
      Packing.need(b, 4 + 2, where + " count and levels");
      int count = Packing.nonNegative(b.getInt(), where + " count");
      int levels = Short.toUnsignedInt(b.getShort());
      float[] scales = Packing.floats(b, where + " scales");
      byte[] payload = Packing.payload(b, where);
      try {
        out.add(
            new PackedTensor(
                name, shape, scheme, decoding(shape, count, scheme, levels, scales), payload));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "corrupt packed file: " + where + ": " + e.getMessage(), e);
      }
    }
    Packing.end(b);
    return out;
  }

  /** The decoding that reproduces version 1's values for {@code scheme}, after its checks. */
  static Decoding decoding(int[] shape, int count, String scheme, int levels, float[] scales) {
    long product = 1;
    for (int d : shape) {
      product *= Math.max(d, 1);
      if (product > Integer.MAX_VALUE) {
        break; // PackedTensor names the problem
      }
    }
    if (count != product) {
      throw new IllegalArgumentException(
          "count " + count + " != product of shape " + Arrays.toString(shape));
    }
    if (scheme.equals("fp32")) {
      if (levels != 0 || scales.length != 0) {
        throw new IllegalArgumentException(
            "fp32 takes levels 0 and no scales, got levels "
                + levels
                + " and "
                + scales.length
                + " scale(s)");
      }
      return Decoding.raw();
    }
    int perGroup =
        switch (scheme) {
          case "ternary", "binary", "uniform" -> 1;
          case "ttq" -> 2;
          default ->
              throw new IllegalArgumentException(
                  "unknown scheme '"
                      + scheme
                      + "', expected one of fp32, ternary, ttq, binary, uniform");
        };
    int expected =
        switch (scheme) {
          case "ternary", "ttq" -> 3;
          case "binary" -> 2;
          default ->
              Integer.bitCount(levels + 1) == 1 && levels >= 3 && levels <= 255 ? levels : -1;
        };
    if (levels != expected) {
      throw new IllegalArgumentException("scheme " + scheme + " cannot have " + levels + " levels");
    }
    if (scales.length == 0 || scales.length % perGroup != 0) {
      throw new IllegalArgumentException(
          "scheme " + scheme + " needs " + perGroup + " scale(s) per group, got " + scales.length);
    }
    int groups = scales.length / perGroup;
    if (groups != 1 && !(shape.length >= 1 && groups == shape[0])) {
      throw new IllegalArgumentException(
          groups
              + " scale group(s) is neither 1 (per layer) nor shape[0]"
              + " (per channel) for shape "
              + Arrays.toString(shape));
    }
    for (int i = 0; i < scales.length; i++) {
      if (!Float.isFinite(scales[i])) {
        throw new IllegalArgumentException("scale " + i + " is not finite: " + scales[i]);
      }
    }
    float[] book = new float[groups * levels];
    for (int g = 0; g < groups; g++) {
      switch (scheme) {
        case "ternary" -> { // codes 0, 1, 2 were -a, 0, +a, with 0f - a (never -0) for -a
          book[3 * g] = 0f - scales[g];
          book[3 * g + 1] = 0f;
          book[3 * g + 2] = scales[g];
        }
        case "ttq" -> { // scales interleaved Wp, Wn; codes 0, 1, 2 were -Wn, 0, +Wp
          book[3 * g] = 0f - scales[2 * g + 1];
          book[3 * g + 1] = 0f;
          book[3 * g + 2] = scales[2 * g];
        }
        case "binary" -> { // codes 0, 1 were -a, +a
          book[2 * g] = 0f - scales[g];
          book[2 * g + 1] = scales[g];
        }
        default -> { // uniform: (code - qmax) * s, computed by the grid with the same expression
          return Decoding.grid(levels, (levels - 1) / 2, scales);
        }
      }
    }
    return new Decoding(levels, groups, 0, book, NONE, NONE);
  }
}
