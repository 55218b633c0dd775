package io.qrbench.nn;

import ai.djl.ndarray.NDArray;

/**
 * Maps a layer's latent full-precision kernel to the kernel the layer computes with. This is how
 * quantization-aware training reaches a model: a quantizer supplies one transform per layer through
 * a {@link LayerHook}.
 */
@FunctionalInterface
public interface WeightTransform {

  /**
   * The kernel to compute with.
   *
   * @param latent the layer's full-precision kernel
   * @param training true in a training forward pass: return a tensor through which gradients reach
   *     {@code latent} (for a straight-through estimator, {@link #straightThrough}); false in
   *     evaluation: return the hard quantized kernel
   * @return a kernel of the same shape
   */
  NDArray apply(NDArray latent, boolean training);

  /**
   * The straight-through estimator: the forward pass sees {@code quantized}, the backward pass
   * passes the gradient to {@code latent} unchanged.
   */
  static NDArray straightThrough(NDArray latent, NDArray quantized) {
    return latent.add(quantized.sub(latent).stopGradient());
  }
}
