package io.qrbench.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.qrbench.QrbenchException;
import io.qrbench.model.LoadedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A prepared model's forward pass with every BatchNorm folded into the convolution or dense layer
 * before it (a suite model's {@code fold-batchnorm: true}): conv(x, w * s) + (beta - mu * s), s =
 * gamma / sqrt(var + eps), as an exported or deployed network computes it. In inference mode the
 * two are the same function; in float32 the logits differ in their last bits (a few 1e-6 on the
 * shipped ResNet-20s). It is differentiable like the block (DJL operations on the input), and an
 * attack's forward and backward pass skip the BatchNorm layers' memory-bound work, and its
 * convolutions run channels-last ({@link #channelsLast}): a PGD step takes about 0.76x the time of
 * one through the block on this project's machine (docs/benchmarks.md).
 *
 * <p>The network is read as the ONNX exporter reads it ({@link BlockWalker}): the kernels are the
 * quantizer's, as the model computes them when its weights are final, so it must be built after
 * quantization and rebuilt if the weights change. Its arrays live in a sub-manager of the model's,
 * freed by {@link #close}.
 */
public final class FoldedForward implements UnaryOperator<NDArray>, AutoCloseable {
  /** Largest |folded - block| logit allowed, relative to the largest logit (at least 1). */
  static final double TOLERANCE = 1e-3;

  private final List<Step> steps = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();
  private final String input;
  private final String output;
  private final NDManager arrays;
  private double checkedDifference = Double.NaN;

  /** One operation with its constant arrays made once. */
  private interface Step {
    NDArray apply(Map<String, NDArray> tensors);
  }

  private FoldedForward(Network network, NDManager arrays) {
    this.arrays = arrays;
    this.input = network.input();
    this.output = network.output();
    for (Network.Op op : network.ops()) {
      steps.add(step(op));
    }
  }

  /**
   * The folded forward pass of {@code model} (weights loaded, quantized and final), checked against
   * the model's own logits on {@code probe}.
   *
   * @throws QrbenchException when the model has a block the walker does not know (an imported
   *     model), or the folded logits do not match the block's
   */
  public static FoldedForward of(LoadedModel model, NDArray probe) {
    io.qrbench.spi.ModelInput in = model.input();
    Network network;
    try {
      network =
          BlockWalker.walk(
              model.name(),
              model.block(),
              model.quantizableLayers(),
              in.channels(),
              in.height(),
              in.width());
    } catch (QrbenchException e) {
      throw new io.qrbench.ConfigException(
          "cannot fold the BatchNorm layers of model '"
              + model.name()
              + "' (fold-batchnorm: true): "
              + e.getMessage()
              + "; remove 'fold-batchnorm' to evaluate it as it is",
          e);
    }
    NDManager arrays = model.manager().newSubManager();
    FoldedForward f = new FoldedForward(network, arrays);
    try (NDManager check = model.manager().newSubManager()) {
      NDArray x = probe.duplicate();
      x.attach(check);
      NDArray theirs = model.logits(x);
      NDArray mine = f.apply(x);
      double worst = mine.sub(theirs).abs().max().getFloat();
      double scale = Math.max(1, theirs.abs().max().getFloat());
      if (!(worst <= TOLERANCE * scale)) {
        f.close();
        throw new QrbenchException(
            "cannot fold the BatchNorm layers of model '"
                + model.name()
                + "': the folded network's logits differ from the model's by "
                + worst
                + " (at most "
                + TOLERANCE * scale
                + " allowed); remove 'fold-batchnorm' to evaluate it as it is");
      }
      f.checkedDifference = worst;
    }
    return f;
  }

  /** The largest |folded - block| logit on the probe {@link #of} checked. */
  public double checkedDifference() {
    return checkedDifference;
  }

  /** The logits of a batch, in the batch's manager. */
  @Override
  public NDArray apply(NDArray images) {
    Map<String, NDArray> t = new HashMap<>();
    t.put(input, images);
    int i = 0;
    for (Step s : steps) {
      NDArray y = s.apply(t);
      t.put(outputs.get(i++), y);
    }
    return t.get(output);
  }

  private Step step(Network.Op op) {
    outputs.add(op.output());
    if (op instanceof Network.Norm n) {
      Shape c = new Shape(1, n.mean().length, 1, 1);
      NDArray mean = arrays.create(n.mean(), c);
      NDArray std = arrays.create(n.std(), c);
      return t -> t.get(n.in()).sub(mean).div(std);
    }
    if (op instanceof Network.Conv c) {
      NDArray w = channelsLast(c);
      NDArray b = arrays.create(c.bias());
      Shape stride = new Shape(c.stride(), c.stride());
      Shape padding = new Shape(c.padding(), c.padding());
      Shape dilation = new Shape(1, 1);
      return t ->
          ai.djl.nn.convolutional.Conv2d.conv2d(t.get(c.in()), w, b, stride, padding, dilation, 1)
              .singletonOrThrow();
    }
    if (op instanceof Network.Relu r) {
      // DJL's relu, whose backward is PyTorch's threshold; maximum(0) costs more to differentiate
      return t -> Activation.relu(t.get(r.in()));
    }
    if (op instanceof Network.Add a) {
      return t -> t.get(a.a()).add(t.get(a.b()));
    }
    if (op instanceof Network.Shortcut s) {
      int before = s.before();
      int after = s.channels() - s.inChannels() - before;
      Shape pad = new Shape(0, 0, 0, 0, before, after);
      return t -> t.get(s.in()).get(":, :, ::2, ::2").pad(pad, 0);
    }
    if (op instanceof Network.GlobalAveragePool g) {
      return t -> {
        NDArray x = t.get(g.in()); // the mean over one axis, as the block's pooling takes it
        return x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
      };
    }
    if (op instanceof Network.Dense d) {
      NDArray wt = arrays.create(d.weight(), new Shape(d.units(), d.features())).transpose();
      NDArray b = arrays.create(d.bias());
      return t -> t.get(d.in()).matMul(wt).add(b);
    }
    throw new IllegalStateException("unknown op " + op);
  }

  /**
   * A convolution's kernel in PyTorch's channels-last layout: an [out, in, k, k] array whose
   * elements lie in [out, k, k, in] order (a permuted view of such an array). Given a kernel laid
   * out so, PyTorch's oneDNN convolution takes and gives its activations channels-last, and the
   * ReLU, residual additions and the backward pass keep them so; with the default layout every
   * convolution reorders its input into oneDNN's blocked layout and its output back, in both
   * passes, which took a quarter of an attack step's time (docs/benchmarks.md). Same arithmetic;
   * oneDNN's channels-last kernels sum in another order, so results move in their last bits.
   */
  private NDArray channelsLast(Network.Conv c) {
    int out = c.outChannels();
    int in = c.inChannels();
    int k = c.kernelSize();
    float[] w = c.kernel();
    float[] nhwc = new float[w.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int h = 0; h < k; h++) {
          for (int v = 0; v < k; v++) {
            nhwc[((o * k + h) * k + v) * in + i] = w[((o * in + i) * k + h) * k + v];
          }
        }
      }
    }
    return arrays.create(nhwc, new Shape(out, k, k, in)).transpose(0, 3, 1, 2);
  }

  @Override
  public void close() {
    arrays.close();
  }
}
