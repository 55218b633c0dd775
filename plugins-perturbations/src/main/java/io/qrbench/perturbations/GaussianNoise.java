package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Additive Gaussian noise with scikit-image's {@code random_noise(mode='gaussian')} semantics:
 * x + N(mean, sqrt(var)), clipped to [0,1]. Each image draws from its own seeded generator.
 */
public final class GaussianNoise implements Perturbation<GaussianNoise.Config> {

  /**
   * The noise.
   *
   * @param mean mean of the noise
   * @param var variance of the noise (scikit-image's default 0.01, a standard deviation of 0.1)
   */
  public record Config(
      @JsonPropertyDescription("mean of the noise") Double mean,
      @JsonPropertyDescription("variance of the noise (not the standard deviation)") Double var) {
    public Config {
      mean = mean == null ? 0.0 : mean;
      var = var == null ? 0.01 : var;
      if (!(var >= 0) || Double.isInfinite(var)) {
        throw new IllegalArgumentException("var must be a finite number >= 0, was " + var);
      }
    }
  }

  @Override
  public String id() {
    return "gaussian";
  }

  @Override
  public String description() {
    return "additive Gaussian noise, scikit-image semantics: x + N(mean, sqrt(var)), clipped to [0,1]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NDArray x = ctx.images();
    Shape shape = x.getShape();
    int n = ctx.batchSize();
    int per = Math.toIntExact(shape.size() / n);
    float[] noise = new float[n * per];
    double std = Math.sqrt(config.var());
    for (int i = 0; i < n; i++) {
      SplittableRandom r = ctx.random(i);
      for (int j = i * per, end = j + per; j < end; j++) {
        noise[j] = (float) (config.mean() + std * r.nextGaussian());
      }
    }
    return x.add(ctx.manager().create(FloatBuffer.wrap(noise), shape)).clip(0f, 1f);
  }
}
