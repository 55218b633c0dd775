package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A dense layer that computes with a transformed kernel; its parameters are DJL's own. */
final class TransformedLinear extends Linear {
  private final WeightTransform transform;
  final KernelCache cache = new KernelCache();

  TransformedLinear(Linear.Builder builder, WeightTransform transform) {
    super(builder);
    this.transform = transform;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    Parameter w = parameters.get("weight");
    Parameter bias = parameters.get("bias");
    NDArray latent = store.getValue(w, input.getDevice(), training);
    NDArray b = bias == null ? null : store.getValue(bias, input.getDevice(), training);
    NDArray kernel =
        training
            ? Scoped.onInputManager(input, latent, () -> transform.apply(latent, true))
            : cache.get(input, latent, () -> transform.apply(latent, false));
    return linear(input, kernel, b);
  }
}
