package io.qrbench.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffers wire format, as much of it as an ONNX file needs: varints, 64-bit and 32-bit
 * little-endian numbers, and length-delimited fields (strings, bytes, nested messages, packed
 * repeated numbers). Written from the encoding rules of the protocol-buffers documentation; ONNX's
 * messages and field numbers are in {@link OnnxModel}.
 */
final class Protobuf {
  private static final int VARINT = 0;
  private static final int FIXED32 = 5;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An int64, int32, enum or bool field. */
  Protobuf varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  /** A float field. */
  Protobuf float32(int field, float value) {
    tag(field, FIXED32);
    rawFixed32(Float.floatToRawIntBits(value));
    return this;
  }

  /** A string field (UTF-8); nothing is written for null. */
  Protobuf string(int field, String value) {
    if (value != null) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }
    return this;
  }

  /** A bytes field. */
  Protobuf bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  /** A nested message. */
  Protobuf message(int field, Protobuf message) {
    return bytes(field, message.toByteArray());
  }

  /** A packed repeated int64 field (proto3's default encoding for repeated scalars). */
  Protobuf packedVarints(int field, long[] values) {
    Protobuf body = new Protobuf();
    for (long v : values) {
      body.rawVarint(v);
    }
    return bytes(field, body.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  /** Seven bits at a time, low first; negative int64 values take ten bytes, as the format says. */
  private void rawVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private void rawFixed32(int bits) {
    out.write(bits & 0xFF);
    out.write((bits >>> 8) & 0xFF);
    out.write((bits >>> 16) & 0xFF);
    out.write((bits >>> 24) & 0xFF);
  }
}
