package io.qrbench.cli.testplugins;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;

/**
 * A third-party plugin that lives only in test code, registered by its own {@code
 * META-INF/services} file: proves discovery needs no change to the framework.
 */
public final class InvertColours implements Perturbation<InvertColours.Config> {
  /**
   * @param amount 0 keeps the image, 1 inverts it fully
   */
  public record Config(Double amount) {
    public Config {
      amount = amount == null ? 1.0 : amount;
    }
  }

  @Override
  public String id() {
    return "invert-colours";
  }

  @Override
  public String description() {
    return "test plugin: blends each image with its negative";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NDArray x = ctx.images();
    float a = config.amount().floatValue();
    return x.mul(1 - a).add(x.neg().add(1f).mul(a));
  }
}
