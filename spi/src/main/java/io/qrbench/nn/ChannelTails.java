package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Convolutions that never hand PyTorch's oneDNN kernels a channel count with a tail in the
 * dimension they sum over. With PyTorch 2.7.1 (oneDNN 3.7.1) on an AVX-512 CPU (this project's AMD
 * EPYC machine), a 3x3 convolution computes a wrong forward pass when it has more than 16 input
 * channels and not a multiple of 16 (20 in: 37% of the largest output off), and a wrong input
 * gradient when its output channels are not a multiple of 16 (6 or 8 out: 75% off, NaN once), on
 * one thread the same garbage each time, on two a different one each run. Attacks on a model with
 * such a layer then gave other results at each thread count and in each run. Zero channels, added
 * here and sliced off, round the counts up to a multiple of 16; their products are exact zeros, so
 * the result is the convolution's on any machine. Layers whose counts have no tail (every CIFAR
 * ResNet's) run unchanged, and a first layer's few input channels (3) take another, correct kernel.
 */
final class ChannelTails {
  /** oneDNN's channel block for float32 on AVX-512 (AVX2's, 8, divides it). */
  static final int BLOCK = 16;

  private ChannelTails() {}

  /** Channels to add to {@code n} to reach a multiple of {@link #BLOCK}. */
  static long tail(long n) {
    return n % BLOCK == 0 ? 0 : BLOCK - n % BLOCK;
  }

  /** DJL's 2-D convolution, computed with the channel counts padded where they have a tail. */
  static NDList conv2d(
      NDArray input,
      NDArray kernel,
      NDArray bias,
      Shape stride,
      Shape padding,
      Shape dilation,
      int groups) {
    Shape k = kernel.getShape();
    long out = k.get(0);
    long in = k.get(1);
    long padOut = tail(out);
    long padIn = in > BLOCK ? tail(in) : 0;
    if (groups != 1 || padOut == 0 && padIn == 0) {
      return ai.djl.nn.convolutional.Conv2d.conv2d(
          input, kernel, bias, stride, padding, dilation, groups);
    }
    NDManager m = input.getManager();
    NDArray y;
    try (NDScope scope =
        new NDScope()) { // the padded kernel lives on the model's manager: close it here
      NDArray x = input;
      NDArray w = kernel;
      NDArray b = bias;
      if (padIn > 0) {
        Shape s = input.getShape();
        x = x.concat(m.zeros(new Shape(s.get(0), padIn, s.get(2), s.get(3)), x.getDataType()), 1);
        w = w.concat(m.zeros(new Shape(out, padIn, k.get(2), k.get(3)), w.getDataType()), 1);
      }
      if (padOut > 0) {
        w =
            w.concat(
                m.zeros(new Shape(padOut, in + padIn, k.get(2), k.get(3)), w.getDataType()), 0);
        b = b == null ? null : b.concat(m.zeros(new Shape(padOut), b.getDataType()), 0);
      }
      y =
          ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, dilation, groups)
              .singletonOrThrow();
      if (padOut > 0) {
        y = y.get(new NDIndex(":, :" + out));
      }
      NDScope.unregister(y);
    }
    return new NDList(y);
  }

  /**
   * DJL's plain convolution, computed through {@link ChannelTails#conv2d}; its simple name is DJL's
   * so that parameter names, and the weights files that hold them, stay as they were.
   */
  static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
    Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
      super(builder);
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray input = inputs.singletonOrThrow();
      NDArray w = store.getValue(weight, input.getDevice(), training);
      NDArray b = store.getValue(bias, input.getDevice(), training);
      return ChannelTails.conv2d(input, w, b, stride, padding, dilation, groups);
    }
  }
}
