package io.qrbench.export;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Network} as an ONNX graph (opset 17): in FP32, or in ONNX Runtime's QDQ int8
 * form, where every activation a convolution, addition, pooling or dense layer reads passes through
 * a QuantizeLinear / DequantizeLinear pair (uint8, its scale and zero point from calibrated ranges)
 * and every kernel is int8 codes with a scale per output channel through DequantizeLinear, its bias
 * int32 at the product of the two scales. ONNX Runtime fuses these patterns into its integer
 * kernels (QLinearConv, QLinearAdd); the graph itself stays standard ONNX that any runtime can run.
 */
final class OnnxEmitter {
  static final long OPSET = 17;

  /** The graph's numbers. */
  enum Precision {
    FP32,
    INT8
  }

  private final Network network;
  private final Precision precision;
  private final Map<String, float[]> ranges;
  private final OnnxModel model;

  /** A quantized tensor's dequantized name, and its scale and zero point. */
  private final Map<String, Quantized> quantized = new HashMap<>();

  private record Quantized(
      String dequantized, float scale, int zeroPoint, String scaleName, String zeroName) {}

  private OnnxEmitter(Network network, Precision precision, Map<String, float[]> ranges) {
    this.network = network;
    this.precision = precision;
    this.ranges = ranges;
    this.model = new OnnxModel("qrbench", OPSET);
  }

  /**
   * The ONNX model of {@code network}.
   *
   * @param ranges each tensor's calibrated [min, max]; needed for INT8 only
   * @param classes the logits per image
   */
  static OnnxModel emit(
      Network network, Precision precision, Map<String, float[]> ranges, int classes) {
    OnnxEmitter e = new OnnxEmitter(network, precision, ranges);
    e.model.input(
        network.input(),
        OnnxModel.FLOAT,
        "N",
        network.channels(),
        network.height(),
        network.width());
    for (Network.Op op : network.ops()) {
      e.write(op);
    }
    e.model.output(network.output(), OnnxModel.FLOAT, "N", classes);
    return e.model;
  }

  private void write(Network.Op op) {
    if (op instanceof Network.Norm n) {
      int c = n.mean().length;
      model.floats(n.output() + "_mean", n.mean(), 1, c, 1, 1);
      model.floats(n.output() + "_std", n.std(), 1, c, 1, 1);
      String centred = n.output() + "_centred";
      model
          .node("Sub", List.of(n.in(), n.output() + "_mean"), List.of(centred))
          .name("normalise.sub");
      model
          .node("Div", List.of(centred, n.output() + "_std"), List.of(n.output()))
          .name("normalise.div");
    } else if (op instanceof Network.Conv c) {
      conv(c);
    } else if (op instanceof Network.Relu r) {
      model.node("Relu", List.of(r.in()), List.of(r.output()));
    } else if (op instanceof Network.Add a) {
      model.node("Add", List.of(input(a.a()), input(a.b())), List.of(a.output()));
    } else if (op instanceof Network.Shortcut s) {
      shortcut(s);
    } else if (op instanceof Network.GlobalAveragePool g) {
      String pooled = g.output() + "_nchw";
      model.node("GlobalAveragePool", List.of(input(g.in())), List.of(pooled)).name("pool");
      model.node("Flatten", List.of(pooled), List.of(g.output())).attr("axis", 1L);
    } else if (op instanceof Network.Dense d) {
      dense(d);
    } else {
      throw new IllegalStateException("unknown op " + op);
    }
  }

  /**
   * The name a consumer reads {@code tensor} under: itself in FP32, its dequantized copy in INT8.
   */
  private String input(String tensor) {
    if (precision == Precision.FP32) {
      return tensor;
    }
    return quantize(tensor).dequantized();
  }

  private Quantized quantize(String tensor) {
    Quantized q = quantized.get(tensor);
    if (q != null) {
      return q;
    }
    float[] r = ranges.get(tensor);
    if (r == null) {
      throw new IllegalStateException("no calibrated range for " + tensor);
    }
    // uint8, asymmetric: the range is widened to hold 0, which then has an exact code
    double lo = Math.min(0, r[0]);
    double hi = Math.max(0, r[1]);
    float scale = hi > lo ? (float) ((hi - lo) / 255) : 1f;
    int zero = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
    return quantizeAs(tensor, scale, zero, null);
  }

  /** Q/DQ of {@code tensor} with given parameters (shared initializers when {@code like} given). */
  private Quantized quantizeAs(String tensor, float scale, int zero, Quantized like) {
    String scaleName = like != null ? like.scaleName() : tensor + "_scale";
    String zeroName = like != null ? like.zeroName() : tensor + "_zero";
    if (like == null) {
      model.floats(scaleName, new float[] {scale});
      model.uint8s(zeroName, new byte[] {(byte) zero});
    }
    String q = tensor + "_q";
    String dq = tensor + "_dq";
    model.node("QuantizeLinear", List.of(tensor, scaleName, zeroName), List.of(q));
    model.node("DequantizeLinear", List.of(q, scaleName, zeroName), List.of(dq));
    Quantized out = new Quantized(dq, scale, zero, scaleName, zeroName);
    quantized.put(tensor, out);
    return out;
  }

  private void conv(Network.Conv c) {
    long[] kernelDims = {c.outChannels(), c.inChannels(), c.kernelSize(), c.kernelSize()};
    String x;
    String w = c.output() + "_weight";
    String b = c.output() + "_bias";
    if (precision == Precision.FP32) {
      x = c.in();
      model.floats(w, c.kernel(), kernelDims);
      model.floats(b, c.bias(), c.outChannels());
    } else {
      Quantized in = quantize(c.in());
      x = in.dequantized();
      w = weights(w, c.codes(), kernelDims);
      b = bias(b, c.bias(), in.scale(), c.codes().scales());
    }
    long p = c.padding();
    model
        .node("Conv", List.of(x, w, b), List.of(c.output()))
        .name(c.layer())
        .attr("kernel_shape", new long[] {c.kernelSize(), c.kernelSize()})
        .attr("strides", new long[] {c.stride(), c.stride()})
        .attr("pads", new long[] {p, p, p, p});
  }

  private void dense(Network.Dense d) {
    String x;
    String w = d.output() + "_weight";
    String b = d.output() + "_bias";
    if (precision == Precision.FP32) {
      x = d.in();
      model.floats(w, d.weight(), d.units(), d.features());
      model.floats(b, d.bias(), d.units());
    } else {
      Quantized in = quantize(d.in());
      x = in.dequantized();
      w = weights(w, d.codes(), d.units(), d.features());
      b = bias(b, d.bias(), in.scale(), d.codes().scales());
    }
    model.node("Gemm", List.of(x, w, b), List.of(d.output())).name(d.layer()).attr("transB", 1L);
  }

  /** int8 codes, a scale per output channel (axis 0), zero points 0: DequantizeLinear's output. */
  private String weights(String name, WeightCodes codes, long... dims) {
    int channels = codes.scales().length;
    model.int8s(name + "_codes", codes.codes(), dims);
    model.floats(name + "_scale", codes.scales(), channels);
    model.int8s(name + "_zero", new byte[channels], channels);
    model
        .node(
            "DequantizeLinear",
            List.of(name + "_codes", name + "_scale", name + "_zero"),
            List.of(name))
        .attr("axis", 0L);
    return name;
  }

  /** The bias as int32 at scale (input scale x weight scale), as QLinearConv wants it. */
  private String bias(String name, float[] bias, float inputScale, float[] weightScales) {
    int n = bias.length;
    int[] codes = new int[n];
    float[] scales = new float[n];
    for (int c = 0; c < n; c++) {
      scales[c] = inputScale * weightScales[c];
      double q = Math.rint(bias[c] / (double) scales[c]);
      codes[c] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, q));
    }
    model.int32s(name + "_codes", codes, n);
    model.floats(name + "_scale", scales, n);
    model.int32s(name + "_zero", new int[n], n);
    model
        .node(
            "DequantizeLinear",
            List.of(name + "_codes", name + "_scale", name + "_zero"),
            List.of(name))
        .attr("axis", 0L);
    return name;
  }

  private void shortcut(Network.Shortcut s) {
    String sliced = s.output() + "_strided";
    String x = input(s.in());
    String k = s.output() + "_";
    model.int64s(k + "starts", new long[] {0, 0}, 2);
    model.int64s(k + "ends", new long[] {Long.MAX_VALUE, Long.MAX_VALUE}, 2);
    model.int64s(k + "axes", new long[] {2, 3}, 2);
    model.int64s(k + "steps", new long[] {2, 2}, 2);
    model.node(
        "Slice", List.of(x, k + "starts", k + "ends", k + "axes", k + "steps"), List.of(sliced));
    int before = s.before();
    int after = s.channels() - s.inChannels() - before;
    // pads: begin of each axis (N, C, H, W), then end of each
    model.int64s(k + "pads", new long[] {0, before, 0, 0, 0, after, 0, 0}, 8);
    model.node("Pad", List.of(sliced, k + "pads"), List.of(s.output())).attr("mode", "constant");
    if (precision == Precision.INT8) {
      // zeros and a subsample of the input keep the input's range: its scale and zero point hold
      Quantized in = quantized.get(s.in());
      quantizeAs(s.output(), in.scale(), in.zeroPoint(), in);
    }
  }
}
