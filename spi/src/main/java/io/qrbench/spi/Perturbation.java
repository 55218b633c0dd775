package io.qrbench.spi;

import ai.djl.ndarray.NDArray;

/**
 * Changes a batch of images: random noises, adversarial attacks, or nothing at all. A list value
 * for a key in a suite ({@code epsilon: [0.01, 0.03]}) is expanded by the framework into one level
 * per value, so {@link #apply} always sees a single configuration.
 *
 * @param <C> the perturbation's configuration record
 */
public interface Perturbation<C extends Record> extends Plugin<C> {

  /**
   * Perturbs one batch.
   *
   * @param config the bound configuration of one level
   * @param context the batch, its per-image random sources and the model handle
   * @return the perturbed batch, same shape, float32, clipped to [0,1], in the batch's manager; it
   *     may be {@code context.images()} itself when nothing changes
   */
  NDArray apply(C config, PerturbationContext context);

  /**
   * True when {@code config}'s level asks the model for gradients (a white-box attack): a suite may
   * then run it on a model that gives none ({@link ModelProvider#differentiable}) only by crafting
   * on another model ({@code source:}). Random noises and black-box attacks keep the default. Since
   * SPI 1.1.
   *
   * @param config the bound configuration of one level
   */
  default boolean usesGradients(C config) {
    return false;
  }

  /**
   * An upper-bound estimate of the work {@code config}'s level does per image, in forward passes of
   * the attacked model (a backward pass counts as two): 1 for a noise (the evaluation's own forward
   * pass), about {@code 1 + 3 x steps x restarts} for an iterative gradient attack. {@code qrbench
   * run --shard} uses it only to balance the shards' work; the results never depend on it. Since
   * SPI 1.2.
   *
   * @param config the bound configuration of one level
   */
  default double passesPerImage(C config) {
    return 1;
  }
}
