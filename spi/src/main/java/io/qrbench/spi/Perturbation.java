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
   * About how much work one image costs at {@code config}'s level, in model forward passes beyond
   * the evaluation's own, a gradient counting as three (a forward and a backward pass, the backward
   * about twice the forward). Only the run's progress line uses it, to weigh a case's images
   * against another's so that its ETA does not jump when the attacks come; an attack that stops
   * early on broken images may give its budget. Random noises keep the default, 0. Since SPI 1.2.
   *
   * @param config the bound configuration of one level
   */
  default double passesPerImage(C config) {
    return 0;
  }
}
