package io.qrbench.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;

/**
 * One tensor as it is stored in a packed file: enough to rebuild its float values exactly.
 *
 * <p>The number of scale groups is not stored separately: it follows from the scheme and the
 * number of scales ({@link #groups()}), and must be 1 (per layer) or {@code shape[0]} (per
 * output channel), so group {@code g} covers elements {@code [g*count/groups, (g+1)*count/groups)}.
 *
 * <p>Schemes, their levels and their scales:
 *
 * <ul>
 *   <li>{@value #FP32}: full precision; levels 0, no scales, payload = {@code count}
 *       little-endian IEEE-754 floats;
 *   <li>{@value #TERNARY}: symmetric ternary (TWN); levels 3, one {@code alpha} per group;
 *   <li>{@value #TTQ}: asymmetric ternary; levels 3, {@code Wp, Wn} per group, interleaved;
 *   <li>{@value #BINARY}: levels 2, one {@code alpha} per group;
 *   <li>{@value #UNIFORM}: symmetric k-bit; levels {@code 2^k - 1} for k in 2..8, one step
 *       {@code s} per group.
 * </ul>
 *
 * <p>For the quantized schemes the payload is {@link Packing#pack} of the codes. Arrays are
 * shared, not copied, and must be treated as immutable; equality compares contents.
 *
 * @param name the parameter's name in the model
 * @param shape the tensor's dimensions, each >= 1 (rank 0 means a scalar)
 * @param scheme one of {@link #SCHEMES}
 * @param levels number of code levels (0 for {@value #FP32})
 * @param scales the scales, as described above
 * @param payload packed codes, or raw floats for {@value #FP32}
 * @param count number of elements, the product of {@code shape}
 */
public record PackedTensor(
    String name, int[] shape, String scheme, int levels, float[] scales, byte[] payload,
    int count) {

  /** Full-precision floats. */
  public static final String FP32 = "fp32";

  /** Symmetric ternary, {@code +alpha / 0 / -alpha}. */
  public static final String TERNARY = "ternary";

  /** Asymmetric ternary, {@code +Wp / 0 / -Wn}. */
  public static final String TTQ = "ttq";

  /** Binary, {@code +alpha / -alpha}. */
  public static final String BINARY = "binary";

  /** Symmetric uniform k-bit, {@code q * s}. */
  public static final String UNIFORM = "uniform";

  /** Every scheme a packed file may hold. */
  public static final Set<String> SCHEMES = Set.of(FP32, TERNARY, TTQ, BINARY, UNIFORM);

  /** Largest UTF-8 length of a name, bounded by its 16-bit length field in the file. */
  public static final int MAX_NAME_BYTES = 0xFFFF;

  /** Largest rank, bounded by its 8-bit field in the file. */
  public static final int MAX_RANK = 0xFF;

  /**
   * Checks that the fields are mutually consistent, so that a tensor that exists can always be
   * encoded and dequantized.
   */
  public PackedTensor {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    if (Packing.utf8(name).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("name longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
    }
    if (shape == null || scheme == null || scales == null || payload == null) {
      throw new IllegalArgumentException(
          "'" + name + "': shape, scheme, scales and payload must not be null");
    }
    if (shape.length > MAX_RANK) {
      throw new IllegalArgumentException("'" + name + "': rank " + shape.length + " > " + MAX_RANK);
    }
    long product = 1;
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "'" + name + "': dimensions must be >= 1, shape " + Arrays.toString(shape));
      }
      product *= d;
      if (product > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "'" + name + "': shape " + Arrays.toString(shape) + " has too many elements");
      }
    }
    if (count != product) {
      throw new IllegalArgumentException(
          "'" + name + "': count " + count + " != product of shape " + Arrays.toString(shape));
    }
    if (!SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException(
          "'" + name + "': unknown scheme '" + scheme + "', expected one of " + SCHEMES);
    }
    if (scheme.equals(FP32)) {
      if (levels != 0 || scales.length != 0) {
        throw new IllegalArgumentException(
            "'" + name + "': fp32 takes levels 0 and no scales, got levels " + levels + " and "
                + scales.length + " scale(s)");
      }
      if (payload.length != 4L * count) {
        throw new IllegalArgumentException(
            "'" + name + "': fp32 payload must be " + 4L * count + " bytes, got "
                + payload.length);
      }
    } else {
      int expected = expectedLevels(scheme, levels);
      if (levels != expected) {
        throw new IllegalArgumentException(
            "'" + name + "': scheme " + scheme + " takes levels " + describeLevels(scheme)
                + ", got " + levels);
      }
      int perGroup = scheme.equals(TTQ) ? 2 : 1;
      if (scales.length == 0 || scales.length % perGroup != 0) {
        throw new IllegalArgumentException(
            "'" + name + "': scheme " + scheme + " needs " + perGroup
                + " scale(s) per group, got " + scales.length);
      }
      int groups = scales.length / perGroup;
      boolean perChannel = shape.length >= 1 && groups == shape[0];
      if (groups != 1 && !perChannel) {
        throw new IllegalArgumentException(
            "'" + name + "': " + groups + " scale group(s) is neither 1 (per layer) nor shape[0]"
                + " (per channel) for shape " + Arrays.toString(shape));
      }
      for (int i = 0; i < scales.length; i++) {
        if (!Float.isFinite(scales[i])) {
          throw new IllegalArgumentException(
              "'" + name + "': scale " + i + " is not finite: " + scales[i]);
        }
      }
      long bytes = Packing.payloadBytes(count, levels);
      if (payload.length != bytes) {
        throw new IllegalArgumentException(
            "'" + name + "': " + count + " codes of " + levels + " levels pack into " + bytes
                + " bytes, payload has " + payload.length);
      }
    }
  }

  /** A full-precision tensor; the floats are copied into little-endian bytes. */
  public static PackedTensor fp32(String name, int[] shape, float[] w) {
    if (w == null) {
      throw new IllegalArgumentException("'" + name + "': weights must not be null");
    }
    ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : w) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    return new PackedTensor(name, shape, FP32, 0, new float[0], b.array(), w.length);
  }

  /**
   * A quantized tensor from a quantizer's output: packs its codes and keeps its scales.
   *
   * @param scheme {@link #TERNARY} for {@link Ternary#twn}, {@link #TTQ} for
   *     {@link Ternary#ttq}, {@link #BINARY} for {@link Binary#bwn}, {@link #UNIFORM} for
   *     {@link Uniform#symmetric}
   */
  public static PackedTensor of(String name, int[] shape, String scheme, Quantized q) {
    if (q == null) {
      throw new IllegalArgumentException("'" + name + "': quantized tensor must not be null");
    }
    if (FP32.equals(scheme)) {
      throw new IllegalArgumentException("'" + name + "': use PackedTensor.fp32 for fp32");
    }
    return new PackedTensor(
        name, shape, scheme, q.levels(), q.scales(), Packing.pack(q.codes(), q.levels()),
        q.values().length);
  }

  /** Number of scale groups: 0 for fp32, else 1 (per layer) or {@code shape[0]}. */
  public int groups() {
    int perGroup = scalesPerGroup();
    return perGroup == 0 ? 0 : scales.length / perGroup;
  }

  /** Scales per group: 2 for TTQ, 0 for fp32, 1 otherwise. */
  public int scalesPerGroup() {
    return switch (scheme) {
      case FP32 -> 0;
      case TTQ -> 2;
      default -> 1;
    };
  }

  /** Bytes this tensor's data takes: payload plus 4 per scale (names and header excluded). */
  public long dataBytes() {
    return payload.length + 4L * scales.length;
  }

  private static int expectedLevels(String scheme, int levels) {
    return switch (scheme) {
      case TERNARY, TTQ -> Ternary.LEVELS;
      case BINARY -> Binary.LEVELS;
      default -> isUniformLevels(levels) ? levels : -1;
    };
  }

  private static String describeLevels(String scheme) {
    return switch (scheme) {
      case TERNARY, TTQ -> "3";
      case BINARY -> "2";
      default -> "2^k - 1 for k in 2..8";
    };
  }

  private static boolean isUniformLevels(int levels) {
    int n = levels + 1;
    return n >= 4 && n <= 256 && Integer.bitCount(n) == 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedTensor t
        && levels == t.levels
        && count == t.count
        && name.equals(t.name)
        && scheme.equals(t.scheme)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(scales, t.scales)
        && Arrays.equals(payload, t.payload);
  }

  @Override
  public int hashCode() {
    int h = name.hashCode();
    h = 31 * h + scheme.hashCode();
    h = 31 * h + Arrays.hashCode(shape);
    h = 31 * h + Arrays.hashCode(scales);
    h = 31 * h + Arrays.hashCode(payload);
    return 31 * (31 * h + levels) + count;
  }

  @Override
  public String toString() {
    return "PackedTensor[name=" + name + ", shape=" + Arrays.toString(shape) + ", scheme="
        + scheme + ", levels=" + levels + ", scales=" + scales.length + ", payload="
        + payload.length + " bytes, count=" + count + "]";
  }
}
