package io.qrbench.onnx;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The operator types of an ONNX file's main graph, read from its protobuf encoding directly: ONNX
 * Runtime's Java API does not list a session's nodes, and the backend (int8 or fp32) is a question
 * of which operators the exporter wrote. Only the path ModelProto.graph (field 7) ->
 * GraphProto.node (field 1) -> NodeProto.op_type (field 4) is followed; every other field is
 * skipped by its wire type (onnx/onnx.proto; protobuf encoding: 0 varint, 1 fixed64, 2
 * length-delimited, 5 fixed32).
 */
final class OnnxOps {
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int NODE_OP_TYPE = 4;

  private OnnxOps() {}

  /**
   * The distinct operator types of {@code model}'s graph, in order of first use.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed protobuf message
   */
  static Set<String> of(byte[] model) {
    Set<String> ops = new LinkedHashSet<>();
    Reader m = new Reader(model, 0, model.length);
    while (m.more()) {
      int tag = m.tag();
      if (tag >>> 3 == MODEL_GRAPH && (tag & 7) == 2) {
        Reader g = m.message();
        while (g.more()) {
          int gt = g.tag();
          if (gt >>> 3 == GRAPH_NODE && (gt & 7) == 2) {
            Reader n = g.message();
            while (n.more()) {
              int nt = n.tag();
              if (nt >>> 3 == NODE_OP_TYPE && (nt & 7) == 2) {
                ops.add(n.string());
              } else {
                n.skip(nt);
              }
            }
          } else {
            g.skip(gt);
          }
        }
      } else {
        m.skip(tag);
      }
    }
    return ops;
  }

  /** A cursor over the bytes [pos, end) of one message. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int from, int end) {
      this.b = b;
      this.pos = from;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      long t = varint();
      if (t >>> 3 == 0 || t > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a field numbered 0 at byte " + pos);
      }
      return (int) t;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("the data ends inside a number");
        }
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("a number longer than 10 bytes at byte " + pos);
    }

    /** The length-delimited field that follows, as its own reader; this one moves past it. */
    Reader message() {
      int len = length();
      Reader r = new Reader(b, pos, pos + len);
      pos += len;
      return r;
    }

    String string() {
      int len = length();
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    private int length() {
      long len = varint();
      if (len < 0 || len > end - pos) {
        throw new IllegalArgumentException(
            "a field of " + len + " bytes where " + (end - pos) + " remain");
      }
      return (int) len;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default ->
            throw new IllegalArgumentException(
                "wire type " + (tag & 7) + " (field " + (tag >>> 3) + ") at byte " + pos);
      }
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw new IllegalArgumentException("the data ends inside a field");
      }
      pos += n;
    }
  }
}
