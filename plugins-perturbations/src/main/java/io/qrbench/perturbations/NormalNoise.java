package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.SplittableRandom;

/**
 * The shared loop of noises drawn from a normal distribution: one draw per value, in (C, H, W)
 * order, from each image's own generator; subclasses say how a draw changes a value.
 */
abstract class NormalNoise implements Perturbation<NormalNoiseConfig> {

  /** CIFAR-10-C's standard deviations for severities 1..5. */
  abstract double[] severityStd();

  /** The value {@code x} changed by a draw {@code noise} of N(mean, std). */
  abstract float perturb(float x, double noise);

  @Override
  public Class<NormalNoiseConfig> configType() {
    return NormalNoiseConfig.class;
  }

  @Override
  public NDArray apply(NormalNoiseConfig config, PerturbationContext ctx) {
    NoiseBatch b = new NoiseBatch(ctx);
    float[] p = b.pixels;
    double mean = config.noiseMean();
    double std = config.noiseStd(severityStd());
    for (int i = 0; i < b.images; i++) {
      SplittableRandom r = ctx.random(i);
      for (int j = b.start(i), end = j + b.perImage; j < end; j++) {
        p[j] = perturb(p[j], mean + std * r.nextGaussian());
      }
    }
    return b.finish(config.quantizeToUint8());
  }
}
