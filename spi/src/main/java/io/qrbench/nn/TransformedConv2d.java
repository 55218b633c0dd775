package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A convolution that computes with a transformed kernel; its parameters are DJL's own. */
final class TransformedConv2d extends Conv2d {
  private final WeightTransform transform;
  final KernelCache cache = new KernelCache();

  TransformedConv2d(Conv2d.Builder builder, WeightTransform transform) {
    super(builder);
    this.transform = transform;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    NDArray latent = store.getValue(weight, input.getDevice(), training);
    NDArray b = store.getValue(bias, input.getDevice(), training);
    NDArray kernel =
        training
            ? Scoped.onInputManager(input, latent, () -> transform.apply(latent, true))
            : cache.get(input, latent, () -> transform.apply(latent, false));
    return ChannelTails.conv2d(input, kernel, b, stride, padding, dilation, groups);
  }
}
