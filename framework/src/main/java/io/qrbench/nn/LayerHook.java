package io.qrbench.nn;

import java.util.Optional;

/** Chooses a weight transform for each layer a model builds; empty keeps a layer in full precision. */
@FunctionalInterface
public interface LayerHook {

  /** The transform for {@code layer}, or empty for full precision. */
  Optional<WeightTransform> transformFor(LayerInfo layer);

  /** A hook that leaves every layer in full precision. */
  static LayerHook none() {
    return layer -> Optional.empty();
  }
}
