package io.qrbench.nn;

import java.util.Optional;

/**
 * Chooses a weight transform for each layer a model builds; empty keeps a layer in full precision.
 */
@FunctionalInterface
public interface LayerHook {

  /** The transform for {@code layer}, or empty for full precision. */
  Optional<WeightTransform> transformFor(LayerInfo layer);

  /**
   * Called once a model built with this hook has its weights in place (initialised or loaded),
   * before training or evaluation: transforms with state of their own (TTQ's scales) create it
   * here, from the layers' current kernels.
   *
   * @param layers the model's layers, in order
   * @param manager the model's manager, to own the state
   */
  default void prepare(
      java.util.List<io.qrbench.nn.QuantizableLayer> layers, ai.djl.ndarray.NDManager manager) {}

  /**
   * The state the transforms own, in a stable order, once {@link #prepare} has run: weights files
   * and checkpoints keep it. Empty by default.
   */
  default java.util.List<ai.djl.nn.Parameter> parameters() {
    return java.util.List.of();
  }

  /**
   * The part of {@link #parameters()} the optimizer trains (all of it by default), in a stable
   * order.
   */
  default java.util.List<ai.djl.nn.Parameter> trainable() {
    return parameters();
  }

  /** A hook that leaves every layer in full precision. */
  static LayerHook none() {
    return layer -> Optional.empty();
  }
}
