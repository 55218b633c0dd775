package io.qrbench.cli.testplugins;

import ai.djl.ndarray.NDArray;
import io.qrbench.QrbenchException;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;

/** A test plugin that fails once it reaches a given image, to exercise failure handling. */
public final class FailAfter implements Perturbation<FailAfter.Config> {
  /**
   * @param image the first image index at which to fail
   */
  public record Config(Integer image) {
    public Config {
      image = image == null ? 0 : image;
    }
  }

  @Override
  public String id() {
    return "fail-after";
  }

  @Override
  public String description() {
    return "test plugin: throws at a given image index";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    if (ctx.firstIndex() + ctx.batchSize() > config.image()) {
      throw new QrbenchException("failing on purpose at image " + config.image());
    }
    return ctx.images();
  }
}
