package io.qrbench.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model being written: a graph of nodes, its initializers (constant tensors), inputs,
 * outputs and metadata, encoded as the {@code ModelProto} of the ONNX specification
 * (onnx/onnx.proto, IR version 8) without any ONNX or protobuf library. Only what qrbench writes is
 * supported: dense tensors of the types below, and attributes that are numbers, lists of numbers or
 * strings.
 */
public final class OnnxModel {
  /** TensorProto.DataType values (onnx.proto). */
  public static final int FLOAT = 1;

  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int INT32 = 6;
  public static final int INT64 = 7;

  /** IR version 8 goes with opsets 15 to 18; ONNX Runtime 1.20 reads IR versions up to 10. */
  static final long IR_VERSION = 8;

  private final String graphName;
  private final long opset;
  private final List<Protobuf> nodes = new ArrayList<>();
  private final List<String> opTypes = new ArrayList<>();
  private final List<Protobuf> initializers = new ArrayList<>();
  private final List<Protobuf> inputs = new ArrayList<>();
  private final List<Protobuf> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final java.util.Set<String> names = new java.util.HashSet<>();

  /**
   * @param graphName the graph's name
   * @param opset the version of the default ONNX operator set the nodes follow
   */
  public OnnxModel(String graphName, long opset) {
    this.graphName = graphName;
    this.opset = opset;
  }

  /**
   * A graph input.
   *
   * @param dims each a {@link Number} (fixed size) or a {@link String} (a symbolic size, "N")
   */
  public OnnxModel input(String name, int elemType, Object... dims) {
    inputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** A graph output; dims as for {@link #input}. */
  public OnnxModel output(String name, int elemType, Object... dims) {
    outputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** A float32 constant. */
  public OnnxModel floats(String name, float[] data, long... dims) {
    ByteBuffer b = buffer(4 * data.length);
    b.asFloatBuffer().put(data);
    return tensor(name, FLOAT, b.array(), data.length, dims);
  }

  /** An int8 constant. */
  public OnnxModel int8s(String name, byte[] data, long... dims) {
    return tensor(name, INT8, data.clone(), data.length, dims);
  }

  /** A uint8 constant: each byte holds 0..255. */
  public OnnxModel uint8s(String name, byte[] data, long... dims) {
    return tensor(name, UINT8, data.clone(), data.length, dims);
  }

  /** An int32 constant. */
  public OnnxModel int32s(String name, int[] data, long... dims) {
    ByteBuffer b = buffer(4 * data.length);
    b.asIntBuffer().put(data);
    return tensor(name, INT32, b.array(), data.length, dims);
  }

  /** An int64 constant. */
  public OnnxModel int64s(String name, long[] data, long... dims) {
    ByteBuffer b = buffer(8 * data.length);
    b.asLongBuffer().put(data);
    return tensor(name, INT64, b.array(), data.length, dims);
  }

  /**
   * Adds a node of the default domain.
   *
   * @param opType the operator, e.g. {@code Conv}
   * @param inputs input names; an empty string for an omitted optional input
   * @param outputs output names
   * @return the node, to add attributes to
   */
  public Node node(String opType, List<String> inputs, List<String> outputs) {
    Node n = new Node(opType, inputs, outputs);
    nodes.add(n.proto);
    opTypes.add(opType);
    return n;
  }

  /** A key-value pair of the model's {@code metadata_props}, which ONNX Runtime reports. */
  public OnnxModel metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** The operator of each node so far, in order. */
  public List<String> opTypes() {
    return List.copyOf(opTypes);
  }

  /** The encoded {@code ModelProto}. */
  public byte[] toBytes() {
    Protobuf graph = new Protobuf();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    initializers.forEach(t -> graph.message(5, t));
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));
    Protobuf model = new Protobuf();
    model.varint(1, IR_VERSION);
    model.string(2, "qrbench");
    model.message(7, graph);
    model.message(8, new Protobuf().string(1, "").varint(2, opset));
    metadata.forEach((k, v) -> model.message(14, new Protobuf().string(1, k).string(2, v)));
    return model.toByteArray();
  }

  private OnnxModel tensor(String name, int type, byte[] raw, int count, long... dims) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    if (size != count) {
      throw new IllegalArgumentException(
          name + ": " + count + " values for dims " + java.util.Arrays.toString(dims));
    }
    unique(name);
    // TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian)
    Protobuf t = new Protobuf().packedVarints(1, dims).varint(2, type).string(8, name);
    t.bytes(9, raw);
    initializers.add(t);
    return this;
  }

  private void unique(String name) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("two tensors named " + name);
    }
  }

  private static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1: { elem_type 1, shape 2 } } }. */
  private Protobuf valueInfo(String name, int elemType, Object... dims) {
    unique(name);
    Protobuf shape = new Protobuf();
    for (Object d : dims) {
      Protobuf dim = new Protobuf();
      if (d instanceof Number n) {
        dim.varint(1, n.longValue());
      } else {
        dim.string(2, String.valueOf(d));
      }
      shape.message(1, dim);
    }
    Protobuf tensorType = new Protobuf().varint(1, elemType).message(2, shape);
    return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
  }

  /** A node being written (NodeProto: input 1, output 2, name 3, op_type 4, attribute 5). */
  public static final class Node {
    private final Protobuf proto = new Protobuf();

    private Node(String opType, List<String> inputs, List<String> outputs) {
      inputs.forEach(i -> proto.string(1, i));
      outputs.forEach(o -> proto.string(2, o));
      proto.string(4, opType);
    }

    /** The node's name, shown in ONNX Runtime's profiles. */
    public Node name(String name) {
      proto.string(3, name);
      return this;
    }

    /** An INT attribute. AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20. */
    public Node attr(String name, long value) {
      proto.message(5, new Protobuf().string(1, name).varint(3, value).varint(20, 2));
      return this;
    }

    /** A FLOAT attribute. */
    public Node attr(String name, float value) {
      proto.message(5, new Protobuf().string(1, name).float32(2, value).varint(20, 1));
      return this;
    }

    /** An INTS attribute. */
    public Node attr(String name, long[] values) {
      proto.message(5, new Protobuf().string(1, name).packedVarints(8, values).varint(20, 7));
      return this;
    }

    /** A STRING attribute. */
    public Node attr(String name, String value) {
      proto.message(
          5,
          new Protobuf()
              .string(1, name)
              .bytes(4, value.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .varint(20, 3));
      return this;
    }
  }
}
