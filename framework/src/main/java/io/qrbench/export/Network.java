package io.qrbench.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A classifier as a list of operations on named float tensors, in execution order: what {@link
 * BlockWalker} reads out of a DJL block, what {@link Interpreter} runs on DJL arrays to calibrate
 * and check it, and what {@link OnnxEmitter} writes as an ONNX graph. BatchNorm is already folded
 * into the convolution before it, so every layer with weights is a {@link Conv} or a {@link Dense}.
 *
 * @param input the image tensor's name, (N, C, H, W) in [0,1]
 * @param output the logits' name, (N, classes)
 * @param channels, height, width the image shape
 * @param ops the operations
 */
record Network(String input, String output, int channels, int height, int width, List<Op> ops) {
  Network {
    ops = List.copyOf(ops);
  }

  /** One operation: reads tensors, writes one. */
  sealed interface Op permits Norm, Conv, Relu, Add, Shortcut, GlobalAveragePool, Dense {
    List<String> inputs();

    String output();
  }

  /** (x - mean[c]) / std[c]. */
  record Norm(String in, String output, float[] mean, float[] std) implements Op {
    public List<String> inputs() {
      return List.of(in);
    }
  }

  /**
   * A square convolution with BatchNorm folded in: out = conv(x, kernel) + bias.
   *
   * @param layer the layer's name in its model
   * @param kernel the folded float kernel, (out, in, k, k) row-major
   * @param bias the folded bias, one per output channel
   * @param codeSource the same kernel as int8 codes with a scale per output channel, worked out
   *     when first asked for (only the int8 exporter needs them, and finding them is a search)
   */
  record Conv(
      String in,
      String output,
      String layer,
      int outChannels,
      int inChannels,
      int kernelSize,
      int stride,
      int padding,
      float[] kernel,
      float[] bias,
      Supplier<WeightCodes> codeSource)
      implements Op {
    public List<String> inputs() {
      return List.of(in);
    }

    /** The kernel as int8 codes with a scale per output channel. */
    WeightCodes codes() {
      return codeSource.get();
    }
  }

  /** max(x, 0). */
  record Relu(String in, String output) implements Op {
    public List<String> inputs() {
      return List.of(in);
    }
  }

  /** a + b, same shapes. */
  record Add(String a, String b, String output) implements Op {
    public List<String> inputs() {
      return List.of(a, b);
    }
  }

  /**
   * He et al.'s option-A shortcut: every second pixel, zero channels added half before and half
   * after (the odd one after) up to {@code channels}.
   */
  record Shortcut(String in, String output, int inChannels, int channels) implements Op {
    public List<String> inputs() {
      return List.of(in);
    }

    int before() {
      return (channels - inChannels) / 2;
    }
  }

  /** The mean over height and width: (N, C, H, W) to (N, C). */
  record GlobalAveragePool(String in, String output) implements Op {
    public List<String> inputs() {
      return List.of(in);
    }
  }

  /**
   * A dense layer: out = x W^T + bias.
   *
   * @param weight (units, features) row-major
   * @param bias one per unit, or zeros
   * @param codeSource the weights as int8 codes with a scale per unit, worked out when first asked
   */
  record Dense(
      String in,
      String output,
      String layer,
      int units,
      int features,
      float[] weight,
      float[] bias,
      Supplier<WeightCodes> codeSource)
      implements Op {
    public List<String> inputs() {
      return List.of(in);
    }

    /** The weights as int8 codes with a scale per unit. */
    WeightCodes codes() {
      return codeSource.get();
    }
  }

  /** Builds a network, naming each new tensor. */
  static final class Builder {
    private final List<Op> ops = new ArrayList<>();
    private int next;

    String fresh(String hint) {
      return hint + "_" + next++;
    }

    String add(Op op) {
      ops.add(op);
      return op.output();
    }

    List<Op> ops() {
      return ops;
    }
  }
}
