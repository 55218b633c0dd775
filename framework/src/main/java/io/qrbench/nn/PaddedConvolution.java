package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The convolution every layer made by {@link Layers} computes with. PyTorch 2.7's oneDNN (3.7,
 * AVX-512 and AVX2 kernels) gets the input gradient of a stride-1 3x3 convolution wrong when the
 * output channels are not a multiple of its channel block (16; 8 with AVX2), apparently from the
 * block's padding: the error follows what that memory held before. Measured on a 4-to-8-channel
 * layer: wrong in every pass with one thread, in about half of them (NaN at times) with two; the
 * forward pass and the weight gradient are right. Training then differs from run to run and can
 * end in NaN weights, and attacks get wrong gradients. So the kernel gets zero output channels up
 * to a multiple of 16 and the extra outputs are dropped: the same convolution, computed by kernels
 * without a channel tail. Always, not only when a gradient will be asked for, since DJL cannot tell
 * (its {@code hasGradient()} is false for every array an operation made); layers whose channels are
 * multiples of 16, like every ResNet's, compute as before.
 */
final class PaddedConvolution {
  /** Output channels are padded to a multiple of this (the widest channel block, AVX-512's). */
  static final int BLOCK = 16;

  private PaddedConvolution() {}

  /** DJL's {@code Conv2d#conv2d}, with the output channels padded when they have a tail. */
  static NDList conv2d(NDArray input, NDArray kernel, NDArray bias, Shape stride, Shape padding, Shape dilation,
      int groups) {
    long channels = kernel.getShape().get(0);
    long tail = channels % BLOCK;
    if (tail == 0 || groups != 1) {
      return ai.djl.nn.convolutional.Conv2d.conv2d(input, kernel, bias, stride, padding, dilation, groups);
    }
    long extra = BLOCK - tail;
    NDArray wide = Scoped.onInputManager(input, null, () -> kernel.concat(
        input.getManager().zeros(new Shape(extra).addAll(kernel.getShape().slice(1)), kernel.getDataType())));
    NDArray wideBias = bias == null ? null : Scoped.onInputManager(input, null,
        () -> bias.concat(input.getManager().zeros(new Shape(extra), bias.getDataType())));
    NDArray out = ai.djl.nn.convolutional.Conv2d.conv2d(input, wide, wideBias, stride, padding, dilation, groups)
        .singletonOrThrow();
    return new NDList(out.get(new NDIndex(":, :{}", channels)));
  }

  /**
   * DJL's full-precision convolution, computed as above. Its simple name is DJL's: a model's
   * parameter names come from its blocks' class names, and packed weight files are keyed by them.
   */
  static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {

    Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
      super(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
        PairList<String, Object> params) {
      NDArray input = inputs.singletonOrThrow();
      NDArray kernel = store.getValue(weight, input.getDevice(), training);
      NDArray b = store.getValue(bias, input.getDevice(), training);
      return PaddedConvolution.conv2d(input, kernel, b, stride, padding, dilation, groups);
    }
  }
}
