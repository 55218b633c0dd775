package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;

/** The clean images, unchanged: every suite's baseline. */
public final class NoPerturbation implements Perturbation<EmptyConfig> {

  @Override
  public String id() {
    return "none";
  }

  @Override
  public String description() {
    return "clean images, unchanged (the baseline)";
  }

  @Override
  public Class<EmptyConfig> configType() {
    return EmptyConfig.class;
  }

  @Override
  public NDArray apply(EmptyConfig config, PerturbationContext context) {
    return context.images();
  }
}
