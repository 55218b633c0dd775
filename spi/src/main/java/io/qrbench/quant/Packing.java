package io.qrbench.quant;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Bit packing of quantization codes and a self-describing file format for whole models.
 *
 * <h2>Codes</h2>
 *
 * Ternary codes (levels 3) are packed as base-3 digits, five per byte ({@code 3^5 = 243 <= 256}):
 * byte {@code b} holds {@code c[5b] + 3 c[5b+1] + 9 c[5b+2] + 27 c[5b+3] + 81 c[5b+4]}, so 1.6
 * bits per weight instead of 2. Every other level count uses {@code ceil(log2(levels))} bits per
 * code, little-endian: code {@code i} occupies stream bits {@code [i*w, (i+1)*w)}, least
 * significant bit first, and stream bit {@code j} is bit {@code j % 8} of byte {@code j / 8}.
 * Unused trailing digits and bits are zero, and {@link #unpack} insists on it, so every valid
 * code sequence has exactly one packed form.
 *
 * <h2>File format, version 1</h2>
 *
 * All integers little-endian, unsigned unless noted:
 *
 * <pre>
 *   magic     4 bytes  "QRBP"
 *   version   u16      1
 *   flags     u16      0 (reserved)
 *   length    u64      total file length in bytes, checksum included
 *   tensors   u32      number of tensors, then each tensor:
 *     name      u16 byte length + UTF-8 bytes
 *     scheme    u8 byte length + ASCII bytes (fp32, ternary, ttq, binary, uniform)
 *     rank      u8, then rank x u32 dimensions
 *     count     u32      number of elements (product of the dimensions)
 *     levels    u16      0 for fp32
 *     scales    u32 count + that many IEEE-754 floats
 *     payload   u32 byte length + bytes (packed codes, or raw floats for fp32)
 *   crc32     u32      CRC-32 of every byte before it
 * </pre>
 *
 * The stored length tells a truncated file from a corrupt one, and the CRC catches any flipped
 * bit or byte burst up to 32 bits, which structural checks alone would miss inside a payload.
 */
public final class Packing {

  /** Fewest levels a code may have. */
  public static final int MIN_LEVELS = 2;

  /** Most levels a code may have: codes are single unsigned bytes. */
  public static final int MAX_LEVELS = 256;

  /** The four bytes every packed file starts with; private because arrays cannot be final. */
  private static final byte[] MAGIC = {'Q', 'R', 'B', 'P'};

  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  private static final int TRITS_PER_BYTE = 5;
  private static final int TRIT_BYTE_LIMIT = 243; // 3^5: larger ternary bytes are corrupt
  private static final int HEADER_BYTES = 4 + 2 + 2 + 8 + 4;
  private static final int CRC_BYTES = 4;
  // name length + scheme length + rank + count + levels + scale count + payload length
  private static final int MIN_TENSOR_BYTES = 2 + 1 + 1 + 4 + 2 + 4 + 4;

  private Packing() {}

  /** A copy of the four magic bytes, {@code "QRBP"}, that start every packed file. */
  public static byte[] magic() {
    return MAGIC.clone();
  }

  /**
   * Bits one code takes in the fixed-width form: {@code ceil(log2(levels))}.
   *
   * @throws IllegalArgumentException for levels outside {@code [2, 256]}
   */
  public static int codeWidth(int levels) {
    checkLevels(levels);
    return 32 - Integer.numberOfLeadingZeros(levels - 1);
  }

  /** Storage bits per weight: 1.6 for ternary (5 trits per byte), else {@link #codeWidth}. */
  public static double bitsPerWeight(int levels) {
    checkLevels(levels);
    return levels == 3 ? 8.0 / TRITS_PER_BYTE : codeWidth(levels);
  }

  /** Bytes {@link #pack} produces for {@code count} codes. */
  public static long payloadBytes(long count, int levels) {
    checkLevels(levels);
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (levels == 3) {
      return (count + TRITS_PER_BYTE - 1) / TRITS_PER_BYTE;
    }
    return (count * codeWidth(levels) + 7) / 8;
  }

  /**
   * Total storage of a quantized tensor: packed payload plus 4 bytes per float scale.
   *
   * @param scaleCount number of float scales (groups, or twice the groups for TTQ)
   */
  public static long packedBytes(long count, int levels, int scaleCount) {
    if (scaleCount < 0) {
      throw new IllegalArgumentException("scaleCount must be >= 0, got " + scaleCount);
    }
    return payloadBytes(count, levels) + 4L * scaleCount;
  }

  /**
   * Packs one code per weight (unsigned bytes, each below {@code levels}) into the dense form
   * described in the class comment.
   *
   * @throws IllegalArgumentException for a code out of range or levels outside {@code [2, 256]}
   */
  public static byte[] pack(byte[] codes, int levels) {
    checkLevels(levels);
    if (codes == null) {
      throw new IllegalArgumentException("codes must not be null");
    }
    int n = codes.length;
    byte[] out = new byte[Math.toIntExact(payloadBytes(n, levels))];
    if (levels == 3) {
      for (int b = 0; b < out.length; b++) {
        int v = 0;
        for (int j = TRITS_PER_BYTE - 1; j >= 0; j--) { // Horner: digit 0 ends least significant
          int i = b * TRITS_PER_BYTE + j;
          v = v * 3 + (i < n ? code(codes, i, levels) : 0);
        }
        out[b] = (byte) v;
      }
      return out;
    }
    int width = codeWidth(levels);
    long acc = 0;
    int accBits = 0;
    int o = 0;
    for (int i = 0; i < n; i++) {
      acc |= (long) code(codes, i, levels) << accBits;
      accBits += width;
      while (accBits >= 8) {
        out[o++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    if (accBits > 0) {
      out[o] = (byte) acc;
    }
    return out;
  }

  /**
   * The exact inverse of {@link #pack}: {@code count} codes from {@code packed}.
   *
   * @throws IllegalArgumentException if {@code packed} has the wrong length for {@code count}
   *     codes, holds a code {@code >= levels} (or a ternary byte above 242), or has non-zero
   *     padding
   */
  public static byte[] unpack(byte[] packed, int count, int levels) {
    checkLevels(levels);
    if (packed == null) {
      throw new IllegalArgumentException("packed bytes must not be null");
    }
    long expected = payloadBytes(count, levels);
    if (packed.length != expected) {
      throw new IllegalArgumentException(
          count + " codes of " + levels + " levels take " + expected + " bytes, got "
              + packed.length);
    }
    byte[] out = new byte[count];
    if (levels == 3) {
      for (int b = 0; b < packed.length; b++) {
        int v = packed[b] & 0xFF;
        if (v >= TRIT_BYTE_LIMIT) {
          throw new IllegalArgumentException(
              "corrupt ternary byte " + b + ": " + v + " is not five base-3 digits");
        }
        for (int j = 0; j < TRITS_PER_BYTE; j++) {
          int i = b * TRITS_PER_BYTE + j;
          int c = v % 3;
          v /= 3;
          if (i < count) {
            out[i] = (byte) c;
          } else if (c != 0) {
            throw new IllegalArgumentException("non-zero padding in ternary byte " + b);
          }
        }
      }
      return out;
    }
    int width = codeWidth(levels);
    long mask = (1L << width) - 1;
    long acc = 0;
    int accBits = 0;
    int in = 0;
    for (int i = 0; i < count; i++) {
      while (accBits < width) {
        acc |= (long) (packed[in++] & 0xFF) << accBits;
        accBits += 8;
      }
      int c = (int) (acc & mask);
      acc >>>= width;
      accBits -= width;
      if (c >= levels) {
        throw new IllegalArgumentException(
            "corrupt code " + i + ": " + c + " is not below " + levels + " levels");
      }
      out[i] = (byte) c;
    }
    if (acc != 0) {
      throw new IllegalArgumentException("non-zero padding bits after the last code");
    }
    return out;
  }

  /**
   * The float values a packed tensor stands for: raw floats for fp32, else each code's level
   * times its group's scale, computed with the very expressions the quantizers use so the
   * result is bit-identical to {@link Quantized#values()}.
   *
   * @throws IllegalArgumentException if the payload holds invalid codes
   */
  public static float[] dequantize(PackedTensor t) {
    if (t == null) {
      throw new IllegalArgumentException("tensor must not be null");
    }
    int n = t.count();
    float[] out = new float[n];
    if (t.scheme().equals(PackedTensor.FP32)) {
      ByteBuffer b = ByteBuffer.wrap(t.payload()).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] = Float.intBitsToFloat(b.getInt());
      }
      return out;
    }
    byte[] codes = unpack(t.payload(), n, t.levels());
    float[] s = t.scales();
    int per = n / t.groups();
    int qmax = (t.levels() - 1) / 2;
    for (int i = 0; i < n; i++) {
      int g = i / per;
      int c = codes[i] & 0xFF;
      out[i] = switch (t.scheme()) {
        case PackedTensor.TERNARY -> Ternary.level(c, s[g], s[g]);
        case PackedTensor.TTQ -> Ternary.level(c, s[2 * g], s[2 * g + 1]);
        case PackedTensor.BINARY -> Binary.level(c, s[g]);
        case PackedTensor.UNIFORM -> Uniform.level(c, qmax, s[g]);
        default -> throw new IllegalArgumentException("unknown scheme " + t.scheme());
      };
    }
    return out;
  }

  /**
   * Writes tensors into one self-describing buffer (format in the class comment).
   *
   * @throws IllegalArgumentException if the list or an element is null, or the result would
   *     not fit a Java array
   */
  public static byte[] encode(List<PackedTensor> tensors) {
    if (tensors == null) {
      throw new IllegalArgumentException("tensors must not be null");
    }
    long size = HEADER_BYTES + CRC_BYTES;
    List<byte[]> names = new ArrayList<>(tensors.size());
    for (PackedTensor t : tensors) {
      if (t == null) {
        throw new IllegalArgumentException("tensor list must not contain null");
      }
      byte[] name = utf8(t.name());
      names.add(name);
      size += MIN_TENSOR_BYTES + name.length + t.scheme().length() + 4L * t.shape().length
          + 4L * t.scales().length + t.payload().length;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("packed model of " + size + " bytes is too large");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putLong(size);
    b.putInt(tensors.size());
    for (int k = 0; k < tensors.size(); k++) {
      PackedTensor t = tensors.get(k);
      byte[] name = names.get(k);
      b.putShort((short) name.length).put(name);
      byte[] scheme = t.scheme().getBytes(StandardCharsets.US_ASCII);
      b.put((byte) scheme.length).put(scheme);
      b.put((byte) t.shape().length);
      for (int d : t.shape()) {
        b.putInt(d);
      }
      b.putInt(t.count());
      b.putShort((short) t.levels());
      b.putInt(t.scales().length);
      for (float s : t.scales()) {
        b.putInt(Float.floatToRawIntBits(s));
      }
      b.putInt(t.payload().length).put(t.payload());
    }
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Reads a buffer written by {@link #encode}.
   *
   * @throws IllegalArgumentException with a message naming the problem for anything that is
   *     not an intact version-1 file: wrong magic, unknown version, truncation, trailing bytes,
   *     checksum mismatch, or inconsistent tensor fields
   */
  public static List<PackedTensor> decode(byte[] data) {
    if (data == null) {
      throw new IllegalArgumentException("data must not be null");
    }
    if (data.length < MAGIC.length) {
      throw new IllegalArgumentException(
          "not a qrbench packed file: " + data.length + " bytes, too short for the magic");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (data[i] != MAGIC[i]) {
        throw new IllegalArgumentException("not a qrbench packed file: bad magic");
      }
    }
    if (data.length < HEADER_BYTES + CRC_BYTES) {
      throw new IllegalArgumentException(
          "truncated packed file: " + data.length + " bytes, a header and checksum take "
              + (HEADER_BYTES + CRC_BYTES));
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    b.position(MAGIC.length);
    int version = Short.toUnsignedInt(b.getShort());
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "unsupported packed file version " + version + " (this reader supports " + VERSION
              + ")");
    }
    int flags = Short.toUnsignedInt(b.getShort());
    if (flags != 0) {
      throw new IllegalArgumentException("corrupt packed file: unknown flags " + flags);
    }
    long length = b.getLong();
    if (length != data.length) {
      throw new IllegalArgumentException(
          (Long.compareUnsigned(length, data.length) > 0 ? "truncated" : "corrupt")
              + " packed file: header says " + Long.toUnsignedString(length)
              + " bytes, got " + data.length);
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, data.length - CRC_BYTES);
    int stored = ByteBuffer.wrap(data, data.length - CRC_BYTES, CRC_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != (int) crc.getValue()) {
      throw new IllegalArgumentException("corrupt packed file: checksum mismatch");
    }
    b.limit(data.length - CRC_BYTES);
    try {
      return readTensors(b);
    } catch (BufferUnderflowException e) {
      // every read is length-checked first; this only guards against a future slip
      throw new IllegalArgumentException("corrupt packed file: unexpected end of data", e);
    }
  }

  private static List<PackedTensor> readTensors(ByteBuffer b) {
    long n = Integer.toUnsignedLong(b.getInt());
    if (n > b.remaining() / MIN_TENSOR_BYTES) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + n + " tensors cannot fit in " + b.remaining() + " bytes");
    }
    List<PackedTensor> out = new ArrayList<>((int) n);
    for (int k = 0; k < n; k++) {
      String where = "tensor " + k;
      need(b, 2, where + " name length");
      byte[] nameBytes = bytes(b, Short.toUnsignedInt(b.getShort()), where + " name");
      String name = fromUtf8(nameBytes, where);
      where = "tensor " + k + " ('" + name + "')";
      need(b, 1, where + " scheme length");
      byte[] schemeBytes = bytes(b, Byte.toUnsignedInt(b.get()), where + " scheme");
      String scheme = new String(schemeBytes, StandardCharsets.US_ASCII);
      need(b, 1, where + " rank");
      int rank = Byte.toUnsignedInt(b.get());
      need(b, 4L * rank + 4 + 2 + 4, where + " shape, count, levels and scale count");
      int[] shape = new int[rank];
      for (int d = 0; d < rank; d++) {
        shape[d] = nonNegative(b.getInt(), where + " dimension " + d);
      }
      int count = nonNegative(b.getInt(), where + " count");
      int levels = Short.toUnsignedInt(b.getShort());
      int scaleCount = nonNegative(b.getInt(), where + " scale count");
      need(b, 4L * scaleCount, where + " scales");
      float[] scales = new float[scaleCount];
      for (int i = 0; i < scaleCount; i++) {
        scales[i] = Float.intBitsToFloat(b.getInt());
      }
      need(b, 4, where + " payload length");
      int payloadLength = nonNegative(b.getInt(), where + " payload length");
      byte[] payload = bytes(b, payloadLength, where + " payload");
      try {
        out.add(new PackedTensor(name, shape, scheme, levels, scales, payload, count));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "corrupt packed file: " + where + ": " + e.getMessage(), e);
      }
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + b.remaining() + " unexpected bytes after the last tensor");
    }
    return out;
  }

  /** Strict UTF-8: an unpaired surrogate would otherwise turn into '?' and not round-trip. */
  static byte[] utf8(String s) {
    try {
      ByteBuffer e = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[e.remaining()];
      e.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("name is not valid Unicode: " + s, e);
    }
  }

  private static String fromUtf8(byte[] bytes, String where) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + where + " name is not valid UTF-8", e);
    }
  }

  private static void need(ByteBuffer b, long bytes, String what) {
    if (bytes > b.remaining()) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + what + " needs " + bytes + " bytes at offset "
              + b.position() + ", only " + b.remaining() + " left");
    }
  }

  private static byte[] bytes(ByteBuffer b, int length, String what) {
    need(b, length, what);
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  private static int nonNegative(int v, String what) {
    if (v < 0) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + what + " " + Integer.toUnsignedString(v) + " is too large");
    }
    return v;
  }

  private static int code(byte[] codes, int i, int levels) {
    int c = codes[i] & 0xFF;
    if (c >= levels) {
      throw new IllegalArgumentException(
          "code " + i + " is " + c + ", not below " + levels + " levels");
    }
    return c;
  }

  private static void checkLevels(int levels) {
    if (levels < MIN_LEVELS || levels > MAX_LEVELS) {
      throw new IllegalArgumentException("levels must be in [2, 256], got " + levels);
    }
  }
}
