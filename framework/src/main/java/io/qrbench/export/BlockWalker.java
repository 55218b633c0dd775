package io.qrbench.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.qrbench.QrbenchException;
import io.qrbench.nn.Normalise;
import io.qrbench.nn.OptionAShortcut;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.nn.ResidualBlock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a DJL classifier into a {@link Network}. It knows DJL's sequential, convolution, dense,
 * BatchNorm and ReLU / global-average-pool / identity blocks and qrbench's {@link Normalise},
 * {@link ResidualBlock} and {@link OptionAShortcut}: what the CIFAR ResNets are made of. Anything
 * else is refused by name, so an export never silently drops a layer. Each kernel is the one the
 * model computes with in evaluation: the quantizer's, where the layer has a transform.
 */
final class BlockWalker {
  private final Map<Parameter, QuantizableLayer> layers = new IdentityHashMap<>();
  private final Network.Builder net = new Network.Builder();
  private final String modelName;

  private BlockWalker(String modelName, List<QuantizableLayer> quantizable) {
    this.modelName = modelName;
    quantizable.forEach(l -> layers.put(l.weight(), l));
  }

  /**
   * The network of {@code block}.
   *
   * @param quantizable the model's layers with their kernels and transforms
   */
  static Network walk(
      String modelName,
      Block block,
      List<QuantizableLayer> quantizable,
      int channels,
      int height,
      int width) {
    BlockWalker w = new BlockWalker(modelName, quantizable);
    String out = w.visit(block, "images");
    return new Network("images", out, channels, height, width, w.net.ops());
  }

  private String visit(Block block, String in) {
    if (block instanceof SequentialBlock s) {
      List<Block> children = new ArrayList<>(s.getChildren().values());
      String x = in;
      for (int i = 0; i < children.size(); i++) {
        Block b = children.get(i);
        BatchNorm bn =
            i + 1 < children.size() && children.get(i + 1) instanceof BatchNorm n ? n : null;
        if ((b instanceof Conv2d || b instanceof Linear) && bn != null) {
          x = layer(b, bn, x);
          i++; // the BatchNorm is folded in
        } else {
          x = visit(b, x);
        }
      }
      return x;
    }
    if (block instanceof Conv2d || block instanceof Linear) {
      return layer(block, null, in);
    }
    if (block instanceof Normalise n) {
      return net.add(new Network.Norm(in, net.fresh("normalised"), n.mean(), n.std()));
    }
    if (block instanceof ResidualBlock r) {
      String main = visit(r.main(), in);
      String shortcut = visit(r.shortcut(), in);
      String sum = net.add(new Network.Add(main, shortcut, net.fresh("sum")));
      return net.add(new Network.Relu(sum, net.fresh("relu")));
    }
    if (block instanceof OptionAShortcut a) {
      int inChannels = channelsOf(in);
      return net.add(new Network.Shortcut(in, net.fresh("shortcut"), inChannels, a.channels()));
    }
    if (block instanceof LambdaBlock l) {
      switch (l.getName()) {
        case "ReLU":
          return net.add(new Network.Relu(in, net.fresh("relu")));
        case "globalAvgPool2d":
          return net.add(new Network.GlobalAveragePool(in, net.fresh("pooled")));
        case "identity":
          return in;
        default:
          break;
      }
    }
    throw new io.qrbench.ConfigException(
        "cannot export model '"
            + modelName
            + "' to ONNX: it has a "
            + describe(block)
            + ", which the exporter does not know; it exports DJL sequential, convolution, dense,"
            + " BatchNorm and ReLU / global-average-pool / identity blocks and qrbench's Normalise,"
            + " ResidualBlock and OptionAShortcut (the resnet-cifar model). For another network,"
            + " export it from its own framework (torch.onnx.export) and evaluate the file with"
            + " model id 'onnx'");
  }

  private static String describe(Block b) {
    return b instanceof LambdaBlock l
        ? "lambda block '" + l.getName() + "'"
        : b.getClass().getSimpleName() + " block";
  }

  /** Output channels of the tensor made by the last convolution before it (or the image's). */
  private int channelsOf(String tensor) {
    List<Network.Op> ops = net.ops();
    String t = tensor;
    for (int i = ops.size() - 1; i >= 0; i--) {
      Network.Op op = ops.get(i);
      if (!op.output().equals(t)) {
        continue;
      }
      if (op instanceof Network.Conv c) {
        return c.outChannels();
      }
      if (op instanceof Network.Shortcut s) {
        return s.channels();
      }
      t = op.inputs().get(0);
    }
    throw new QrbenchException(
        "cannot export model '" + modelName + "': the channels of " + tensor + " are unknown");
  }

  /** A convolution or dense layer, with the BatchNorm after it folded in when there is one. */
  private String layer(Block block, BatchNorm bn, String in) {
    Parameter weight = block.getParameters().get("weight");
    QuantizableLayer layer = layers.get(weight);
    if (layer == null) {
      throw new QrbenchException(
          "cannot export model '"
              + modelName
              + "': a "
              + describe(block)
              + " was not made through the model's Layers, so its quantized kernel is unknown");
    }
    NDArray latent = weight.getArray();
    float[] kernel;
    try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
      NDArray k =
          layer.transform().isPresent() ? layer.transform().get().apply(latent, false) : latent;
      kernel = k.toType(DataType.FLOAT32, false).toFloatArray();
    }
    Shape shape = latent.getShape();
    int out = Math.toIntExact(shape.get(0));
    Parameter biasParam =
        block.getParameters().contains("bias") ? block.getParameters().get("bias") : null;
    float[] bias =
        biasParam != null && biasParam.isInitialized()
            ? biasParam.getArray().toFloatArray()
            : new float[out];
    double[] factor = new double[out];
    java.util.Arrays.fill(factor, 1);
    double[] shift = new double[out];
    if (bn != null) {
      float[] gamma = bn.getParameters().get("gamma").getArray().toFloatArray();
      float[] beta = bn.getParameters().get("beta").getArray().toFloatArray();
      float[] mean = bn.getParameters().get("runningMean").getArray().toFloatArray();
      float[] var = bn.getParameters().get("runningVar").getArray().toFloatArray();
      double eps = epsilon(bn);
      for (int c = 0; c < out; c++) {
        factor[c] = gamma[c] / Math.sqrt(var[c] + eps);
        shift[c] = beta[c] - mean[c] * factor[c];
      }
    }
    int per = kernel.length / out;
    float[] folded = new float[kernel.length];
    float[] foldedBias = new float[out];
    for (int c = 0; c < out; c++) {
      for (int i = c * per; i < (c + 1) * per; i++) {
        folded[i] = (float) (kernel[i] * factor[c]);
      }
      foldedBias[c] = (float) (bias[c] * factor[c] + shift[c]);
    }
    // only the int8 exporter reads the codes; folding and the FP32 export skip their search
    java.util.function.Supplier<WeightCodes> codes =
        once(() -> WeightCodes.of(kernel, out).folded(factor));
    String name = layer.info().name();
    if (block instanceof Conv2d conv) {
      if (conv.getGroups() != 1
          || conv.getDilation().getShape().length != 2
          || conv.getDilation().get(0) != 1
          || conv.getDilation().get(1) != 1
          || shape.dimension() != 4
          || shape.get(2) != shape.get(3)
          || conv.getStride().get(0) != conv.getStride().get(1)
          || conv.getPadding().get(0) != conv.getPadding().get(1)) {
        throw new io.qrbench.ConfigException(
            "cannot export layer "
                + name
                + " of model '"
                + modelName
                + "': the exporter writes square convolutions without groups or dilation");
      }
      return net.add(
          new Network.Conv(
              in,
              net.fresh(safe(name)),
              name,
              out,
              Math.toIntExact(shape.get(1)),
              Math.toIntExact(shape.get(2)),
              Math.toIntExact(conv.getStride().get(0)),
              Math.toIntExact(conv.getPadding().get(0)),
              folded,
              foldedBias,
              codes));
    }
    return net.add(
        new Network.Dense(
            in,
            net.fresh(safe(name)),
            name,
            out,
            Math.toIntExact(shape.get(1)),
            folded,
            foldedBias,
            codes));
  }

  /** {@code f}'s value, computed on the first call and kept. */
  private static <T> java.util.function.Supplier<T> once(java.util.function.Supplier<T> f) {
    return new java.util.function.Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = f.get();
        }
        return value;
      }
    };
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /**
   * BatchNorm's epsilon: DJL keeps it private, with no getter. Read reflectively; 1e-5 (DJL's
   * default, and every qrbench model's) when that is refused. The exporter's check against the
   * model's own logits catches a wrong guess.
   */
  private static double epsilon(BatchNorm bn) {
    try {
      java.lang.reflect.Field f = BatchNorm.class.getDeclaredField("epsilon");
      f.setAccessible(true);
      return f.getFloat(bn);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 1e-5;
    }
  }
}
