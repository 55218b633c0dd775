package io.qrbench.spi.packed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One tensor as a packed file stores it: its codes, packed densely ({@link Packing#pack}), and the
 * {@link Decoding} that turns them back into floats. Nothing here depends on which quantizer made
 * it, so any quantizer can pack and every packed tensor decodes the same way.
 *
 * <p>Arrays are shared, not copied, and must be treated as immutable; equality compares contents.
 *
 * @param name the parameter's name in the model
 * @param shape the tensor's dimensions, each >= 1 (rank 0 means a scalar)
 * @param label a short, informative name of the scheme (such as {@code twn} or {@code fp32}),
 *     printable ASCII, at most 255 characters; decoding never looks at it
 * @param decoding how codes become values ({@link Decoding#raw()} for floats); its groups must
 *     divide the element count
 * @param payload the packed codes, or for a raw decoding the floats as little-endian IEEE-754
 */
public record PackedTensor(
    String name, int[] shape, String label, Decoding decoding, byte[] payload) {

  /** The label of full-precision tensors. */
  public static final String FP32 = "fp32";

  /** Largest UTF-8 length of a name, bounded by its 16-bit length field in the file. */
  public static final int MAX_NAME_BYTES = 0xFFFF;

  /** Largest rank, bounded by its 8-bit field in the file. */
  public static final int MAX_RANK = 0xFF;

  /** Largest label length, bounded by its 8-bit field in the file. */
  public static final int MAX_LABEL = 0xFF;

  /**
   * Checks that the fields fit together, so that a tensor that exists can be written and decoded.
   */
  public PackedTensor {
    if (name == null) {
      throw new IllegalArgumentException("name must not be null");
    }
    if (Packing.utf8(name).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("name longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
    }
    if (shape == null || label == null || decoding == null || payload == null) {
      throw new IllegalArgumentException(
          "'" + name + "': shape, label, decoding and payload must not be null");
    }
    if (label.length() > MAX_LABEL || !label.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F)) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "': label must be printable ASCII of at most "
              + MAX_LABEL
              + " characters: '"
              + label
              + "'");
    }
    if (shape.length > MAX_RANK) {
      throw new IllegalArgumentException("'" + name + "': rank " + shape.length + " > " + MAX_RANK);
    }
    long count = 1;
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "'" + name + "': dimensions must be >= 1, shape " + Arrays.toString(shape));
      }
      count *= d;
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "'" + name + "': shape " + Arrays.toString(shape) + " has too many elements");
      }
    }
    if (decoding.isRaw()) {
      if (payload.length != 4L * count) {
        throw new IllegalArgumentException(
            "'" + name + "': raw payload must be " + 4L * count + " bytes, got " + payload.length);
      }
    } else {
      if (count % decoding.groups() != 0) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "': "
                + decoding.groups()
                + " groups do not split shape "
                + Arrays.toString(shape)
                + " evenly");
      }
      long bytes = Packing.payloadBytes(count, decoding.levels());
      if (payload.length != bytes) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "': "
                + count
                + " codes of "
                + decoding.levels()
                + " levels pack into "
                + bytes
                + " bytes, payload has "
                + payload.length);
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
    return new PackedTensor(name, shape, FP32, Decoding.raw(), b.array());
  }

  /**
   * A quantized tensor: packs one code per element (unsigned bytes below the decoding's levels).
   *
   * @throws IllegalArgumentException for a raw decoding, codes that do not fit the shape, or a code
   *     out of range
   */
  public static PackedTensor of(
      String name, int[] shape, String label, byte[] codes, Decoding decoding) {
    if (codes == null || decoding == null) {
      throw new IllegalArgumentException("'" + name + "': codes and decoding must not be null");
    }
    if (decoding.isRaw()) {
      throw new IllegalArgumentException("'" + name + "': use PackedTensor.fp32 for floats");
    }
    return new PackedTensor(name, shape, label, decoding, Packing.pack(codes, decoding.levels()));
  }

  /** Number of elements, the product of {@link #shape}. */
  public int count() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The same tensor under another name. */
  public PackedTensor named(String newName) {
    return new PackedTensor(newName, shape, label, decoding, payload);
  }

  /** The codes, unpacked (one unsigned byte each). */
  public byte[] codes() {
    if (decoding.isRaw()) {
      throw new IllegalArgumentException("'" + name + "' holds floats, not codes");
    }
    return Packing.unpack(payload, count(), decoding.levels());
  }

  /**
   * The float values this tensor stands for: the raw floats, or its codes through its decoding.
   *
   * @throws IllegalArgumentException if the payload holds invalid codes
   */
  public float[] values() {
    int n = count();
    if (decoding.isRaw()) {
      float[] out = new float[n];
      ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] = Float.intBitsToFloat(b.getInt());
      }
      return out;
    }
    return decoding.decode(codes());
  }

  /** Bytes this tensor's data takes: payload plus 4 per stored float of its decoding. */
  public long dataBytes() {
    return payload.length + 4L * decoding.floats();
  }

  byte[] labelBytes() {
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedTensor t
        && name.equals(t.name)
        && label.equals(t.label)
        && Arrays.equals(shape, t.shape)
        && decoding.equals(t.decoding)
        && Arrays.equals(payload, t.payload);
  }

  @Override
  public int hashCode() {
    int h = name.hashCode();
    h = 31 * h + label.hashCode();
    h = 31 * h + Arrays.hashCode(shape);
    h = 31 * h + decoding.hashCode();
    return 31 * h + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "PackedTensor[name="
        + name
        + ", shape="
        + Arrays.toString(shape)
        + ", label="
        + label
        + ", "
        + decoding
        + ", payload="
        + payload.length
        + " bytes]";
  }
}
