package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.SplittableRandom;

/**
 * Additive Gaussian noise with scikit-image's {@code random_noise(mode='gaussian')} semantics:
 * x + N(mean, sqrt(var)), clipped to [0,1]; or, with {@code severity}, CIFAR-10-C's "Gaussian
 * noise" (Hendrycks &amp; Dietterich 2019): x + N(0, c), c = 0.04, 0.06, 0.08, 0.09, 0.10. Each
 * image draws from its own seeded generator, one draw per value in (C, H, W) order.
 */
public final class GaussianNoise implements Perturbation<NormalNoiseConfig> {

  @Override
  public String id() {
    return "gaussian";
  }

  @Override
  public String description() {
    return "additive Gaussian noise, scikit-image semantics: x + N(mean, sqrt(var)), clipped to [0,1];"
        + " or CIFAR-10-C severity 1..5";
  }

  @Override
  public Class<NormalNoiseConfig> configType() {
    return NormalNoiseConfig.class;
  }

  @Override
  public NDArray apply(NormalNoiseConfig config, PerturbationContext ctx) {
    NoiseBatch b = new NoiseBatch(ctx);
    float[] p = b.pixels;
    double mean = config.noiseMean();
    double std = config.noiseStd(Cifar10C.GAUSSIAN_STD);
    for (int i = 0; i < b.images; i++) {
      SplittableRandom r = ctx.random(i);
      for (int j = b.start(i), end = j + b.perImage; j < end; j++) {
        // float noise added in float: the same values as adding a float32 noise tensor
        p[j] += (float) (mean + std * r.nextGaussian());
      }
    }
    return b.finish(config.quantizeToUint8());
  }
}
