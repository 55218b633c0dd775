package io.qrbench.spi.packed;

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
 * Dense packing of codes, and the packed file: a self-describing container for a whole model's
 * tensors, each with its own {@link Decoding}, so that a reader decodes any quantizer's output.
 *
 * <h2>Codes</h2>
 *
 * Codes with 3 levels are packed as base-3 digits, five per byte ({@code 3^5 = 243 <= 256}): byte
 * {@code b} holds {@code c[5b] + 3 c[5b+1] + 9 c[5b+2] + 27 c[5b+3] + 81 c[5b+4]}, so 1.6 bits per
 * weight instead of 2. Every other level count uses {@code ceil(log2(levels))} bits per code,
 * little-endian: code {@code i} occupies stream bits {@code [i*w, (i+1)*w)}, least significant bit
 * first, and stream bit {@code j} is bit {@code j % 8} of byte {@code j / 8}. Unused trailing
 * digits and bits are zero, and {@link #unpack} insists on it, so every valid code sequence has
 * exactly one packed form.
 *
 * <h2>File format, version 2</h2>
 *
 * All integers little-endian, unsigned unless noted; floats IEEE-754 binary32:
 *
 * <pre>
 *   magic     4 bytes  "QRBP"
 *   version   u16      2
 *   flags     u16      0 (reserved)
 *   length    u64      total file length in bytes, checksum included
 *   tensors   u32      number of tensors, then each tensor:
 *     name      u16 byte length + UTF-8 bytes
 *     label     u8 byte length + printable ASCII (informative only: fp32, twn, ...)
 *     rank      u8, then rank x u32 dimensions (the element count is their product)
 *     levels    u16      2..256, or 0: the payload is raw floats
 *     groups    u32      equal contiguous groups of codes (1 when raw)
 *     offset    i32      integer-grid offset (see {@link Decoding})
 *     codebook  u32 count + that many floats (0, levels, or groups x levels)
 *     scales    u32 count + that many floats (0 or groups)
 *     zeros     u32 count + that many floats (0 or groups)
 *     payload   u32 byte length + bytes (packed codes, or count raw floats)
 *   crc32     u32      CRC-32 of every byte before it
 * </pre>
 *
 * The stored length tells a truncated file from a corrupt one, and the CRC catches any flipped bit
 * or byte burst up to 32 bits, which structural checks alone would miss inside a payload.
 *
 * <h2>Version 1</h2>
 *
 * Files of version 1 (qrbench up to the SPI module, among them the shipped {@code .qrbq} models)
 * still read: each tensor named one of five schemes instead of a decoding, and the reader maps each
 * to the decoding that gives the same float bits ({@link #decode}). They are never written.
 */
public final class Packing {

  /** Fewest levels a code may have. */
  public static final int MIN_LEVELS = Decoding.MIN_LEVELS;

  /** Most levels a code may have: codes are single unsigned bytes. */
  public static final int MAX_LEVELS = Decoding.MAX_LEVELS;

  /** The four bytes every packed file starts with; private because arrays cannot be final. */
  private static final byte[] MAGIC = {'Q', 'R', 'B', 'P'};

  /** The format version this class writes. */
  public static final int VERSION = 2;

  /** The older version this class still reads (see the class comment). */
  public static final int VERSION_1 = 1;

  private static final int TRITS_PER_BYTE = 5;
  private static final int TRIT_BYTE_LIMIT = 243; // 3^5: larger ternary bytes are corrupt
  private static final int HEADER_BYTES = 4 + 2 + 2 + 8 + 4;
  private static final int CRC_BYTES = 4;
  // name length + label length + rank + levels + groups + offset + 3 float counts + payload length
  private static final int MIN_TENSOR_BYTES = 2 + 1 + 1 + 2 + 4 + 4 + 4 + 4 + 4 + 4;

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
   * @param scaleCount number of floats stored besides the codes
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
          count
              + " codes of "
              + levels
              + " levels take "
              + expected
              + " bytes, got "
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
   * Writes tensors into one self-describing buffer (format in the class comment).
   *
   * @throws IllegalArgumentException if the list or an element is null, or the result would not fit
   *     a Java array
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
      size +=
          MIN_TENSOR_BYTES
              + name.length
              + t.label().length()
              + 4L * t.shape().length
              + 4L * t.decoding().floats()
              + t.payload().length;
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
      byte[] label = t.labelBytes();
      b.put((byte) label.length).put(label);
      b.put((byte) t.shape().length);
      for (int d : t.shape()) {
        b.putInt(d);
      }
      Decoding d = t.decoding();
      b.putShort((short) d.levels()).putInt(d.groups()).putInt(d.offset());
      putFloats(b, d.codebook());
      putFloats(b, d.scales());
      putFloats(b, d.zeros());
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
   * @throws IllegalArgumentException with a message naming the problem for anything that is not an
   *     intact version-2 or version-1 file: wrong magic, unknown version, truncation, trailing
   *     bytes, checksum mismatch, or inconsistent tensor fields
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
          "truncated packed file: "
              + data.length
              + " bytes, a header and checksum take "
              + (HEADER_BYTES + CRC_BYTES));
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    b.position(MAGIC.length);
    int version = Short.toUnsignedInt(b.getShort());
    if (version != VERSION && version != VERSION_1) {
      throw new IllegalArgumentException(
          "unsupported packed file version "
              + version
              + " (this reader supports "
              + VERSION_1
              + " and "
              + VERSION
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
              + " packed file: header says "
              + Long.toUnsignedString(length)
              + " bytes, got "
              + data.length);
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, data.length - CRC_BYTES);
    int stored =
        ByteBuffer.wrap(data, data.length - CRC_BYTES, CRC_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .getInt();
    if (stored != (int) crc.getValue()) {
      throw new IllegalArgumentException("corrupt packed file: checksum mismatch");
    }
    b.limit(data.length - CRC_BYTES);
    try {
      return version == VERSION ? readTensors(b) : PackingV1.readTensors(b);
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
      String name = name(b, where);
      where = "tensor " + k + " ('" + name + "')";
      need(b, 1, where + " label length");
      String label =
          new String(
              bytes(b, Byte.toUnsignedInt(b.get()), where + " label"), StandardCharsets.US_ASCII);
      int[] shape = shape(b, where);
      need(b, 2 + 4 + 4, where + " levels, groups and offset");
      int levels = Short.toUnsignedInt(b.getShort());
      int groups = nonNegative(b.getInt(), where + " groups");
      int offset = b.getInt();
      float[] codebook = floats(b, where + " codebook");
      float[] scales = floats(b, where + " scales");
      float[] zeros = floats(b, where + " zeros");
      byte[] payload = payload(b, where);
      try {
        out.add(
            new PackedTensor(
                name,
                shape,
                label,
                new Decoding(levels, groups, offset, codebook, scales, zeros),
                payload));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "corrupt packed file: " + where + ": " + e.getMessage(), e);
      }
    }
    end(b);
    return out;
  }

  static String name(ByteBuffer b, String where) {
    need(b, 2, where + " name length");
    return fromUtf8(bytes(b, Short.toUnsignedInt(b.getShort()), where + " name"), where);
  }

  static int[] shape(ByteBuffer b, String where) {
    need(b, 1, where + " rank");
    int rank = Byte.toUnsignedInt(b.get());
    need(b, 4L * rank, where + " shape");
    int[] shape = new int[rank];
    for (int d = 0; d < rank; d++) {
      shape[d] = nonNegative(b.getInt(), where + " dimension " + d);
    }
    return shape;
  }

  /** A u32 count, then that many floats. */
  static float[] floats(ByteBuffer b, String what) {
    need(b, 4, what + " count");
    int count = nonNegative(b.getInt(), what + " count");
    need(b, 4L * count, what);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = Float.intBitsToFloat(b.getInt());
    }
    return out;
  }

  static byte[] payload(ByteBuffer b, String where) {
    need(b, 4, where + " payload length");
    int payloadLength = nonNegative(b.getInt(), where + " payload length");
    return bytes(b, payloadLength, where + " payload");
  }

  static void end(ByteBuffer b) {
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + b.remaining() + " unexpected bytes after the last tensor");
    }
  }

  private static void putFloats(ByteBuffer b, float[] v) {
    b.putInt(v.length);
    for (float f : v) {
      b.putInt(Float.floatToRawIntBits(f));
    }
  }

  /** Strict UTF-8: an unpaired surrogate would otherwise turn into '?' and not round-trip. */
  static byte[] utf8(String s) {
    try {
      ByteBuffer e =
          StandardCharsets.UTF_8
              .newEncoder()
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
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "corrupt packed file: " + where + " name is not valid UTF-8", e);
    }
  }

  static void need(ByteBuffer b, long bytes, String what) {
    if (bytes > b.remaining()) {
      throw new IllegalArgumentException(
          "corrupt packed file: "
              + what
              + " needs "
              + bytes
              + " bytes at offset "
              + b.position()
              + ", only "
              + b.remaining()
              + " left");
    }
  }

  static byte[] bytes(ByteBuffer b, int length, String what) {
    need(b, length, what);
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  static int nonNegative(int v, String what) {
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
