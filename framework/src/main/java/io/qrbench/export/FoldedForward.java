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
 * attack's forward and backward pass skip the BatchNorm layers' memory-bound work. Its convolutions
 * run channels-last ({@link #channelsLast}), the input normalisation's division is moved into the
 * first kernel ({@link #centre}), the option-A shortcut is a 1x1 convolution ({@link #shortcut})
 * and residual sums overwrite a convolution's output ({@link #add}): a PGD step takes about 0.73x
 * the time of one through the block on this project's machine (docs/benchmarks.md).
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
    Map<String, List<Network.Op>> readers = new HashMap<>();
    Map<String, Network.Op> writers = new HashMap<>();
    for (Network.Op op : network.ops()) {
      writers.put(op.output(), op);
      for (String in : op.inputs()) {
        readers.computeIfAbsent(in, k -> new ArrayList<>()).add(op);
      }
    }
    Map<Network.Conv, float[]> inputScales = new HashMap<>();
    for (Network.Op op : network.ops()) {
      Network.Conv reader = op instanceof Network.Norm ? onlyConvReading(op, readers) : null;
      if (op instanceof Network.Norm n && reader != null && reader.inChannels() == n.std().length) {
        inputScales.put(reader, n.std());
        steps.add(centre(n));
      } else if (op instanceof Network.Conv c) {
        steps.add(conv(c, inputScales.get(c)));
      } else if (op instanceof Network.Add a) {
        steps.add(add(a, readers, writers));
      } else {
        steps.add(step(op));
      }
      outputs.add(op.output());
    }
  }

  /** The convolution that alone reads {@code op}'s output, if one does and it is not the output. */
  private Network.Conv onlyConvReading(Network.Op op, Map<String, List<Network.Op>> readers) {
    List<Network.Op> r = readers.getOrDefault(op.output(), List.of());
    return r.size() == 1 && r.get(0) instanceof Network.Conv c && !op.output().equals(output)
        ? c
        : null;
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

  /**
   * (x - mean) alone: the division by std is moved into the kernel of the convolution that reads it
   * ({@link #conv}), which saves an element-wise pass forward and one backward. The same function
   * at the border too: the convolution pads x - mean with zeros, as it padded (x - mean) / std, and
   * conv(x - mean, w / std) = conv((x - mean) / std, w).
   */
  private Step centre(Network.Norm n) {
    NDArray mean = arrays.create(n.mean(), new Shape(1, n.mean().length, 1, 1));
    return t -> t.get(n.in()).sub(mean);
  }

  /** The convolution, its kernel divided by {@code inputScale} per input channel when given. */
  private Step conv(Network.Conv c, float[] inputScale) {
    float[] kernel = c.kernel();
    if (inputScale != null) {
      kernel = kernel.clone();
      int per = c.kernelSize() * c.kernelSize();
      for (int j = 0; j < kernel.length; j++) {
        kernel[j] /= inputScale[(j / per) % c.inChannels()];
      }
    }
    NDArray w = channelsLast(c.outChannels(), c.inChannels(), c.kernelSize(), kernel);
    return conv(c.in(), w, arrays.create(c.bias()), c.stride(), c.padding());
  }

  private static Step conv(String in, NDArray w, NDArray b, int stride, int padding) {
    Shape strides = new Shape(stride, stride);
    Shape paddings = new Shape(padding, padding);
    Shape dilation = new Shape(1, 1);
    return t ->
        ai.djl.nn.convolutional.Conv2d.conv2d(t.get(in), w, b, strides, paddings, dilation, 1)
            .singletonOrThrow();
  }

  /**
   * a + b, into a convolution's output that nothing else reads when there is one: the convolution's
   * backward pass needs its input and kernel, not its output, and an addition's backward needs
   * neither operand, so the sum may overwrite it and spare a new activation-sized array.
   */
  private Step add(
      Network.Add a, Map<String, List<Network.Op>> readers, Map<String, Network.Op> writers) {
    if (!a.a().equals(a.b())) {
      for (String into : List.of(a.a(), a.b())) {
        if (writers.get(into) instanceof Network.Conv
            && readers.get(into).size() == 1
            && !into.equals(output)) {
          String other = into.equals(a.a()) ? a.b() : a.a();
          return t -> t.get(into).addi(t.get(other));
        }
      }
    }
    return t -> t.get(a.a()).add(t.get(a.b()));
  }

  /**
   * The option-A shortcut as a 1x1 convolution of stride 2 whose kernel copies input channel i to
   * output channel before + i: exactly the sliced and zero-padded input (each output is one input
   * times 1 plus zeros), forward and backward. As a slice and a pad it cost a step about 5% more:
   * their backward passes fill and copy full-size arrays and hand back a gradient in the default
   * layout, which slowed the ReLU's backward pass after it (docs/benchmarks.md).
   */
  private Step shortcut(Network.Shortcut s) {
    float[] k = new float[s.channels() * s.inChannels()];
    for (int i = 0; i < s.inChannels(); i++) {
      k[(s.before() + i) * s.inChannels() + i] = 1;
    }
    NDArray w = channelsLast(s.channels(), s.inChannels(), 1, k);
    return conv(s.in(), w, arrays.zeros(new Shape(s.channels())), 2, 0);
  }

  private Step step(Network.Op op) {
    if (op instanceof Network.Norm n) {
      Shape c = new Shape(1, n.mean().length, 1, 1);
      NDArray mean = arrays.create(n.mean(), c);
      NDArray std = arrays.create(n.std(), c);
      return t -> t.get(n.in()).sub(mean).div(std);
    }
    if (op instanceof Network.Relu r) {
      // DJL's relu, whose backward is PyTorch's threshold; maximum(0) costs more to differentiate
      return t -> Activation.relu(t.get(r.in()));
    }
    if (op instanceof Network.Shortcut s) {
      return shortcut(s);
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
  private NDArray channelsLast(int out, int in, int k, float[] w) {
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
