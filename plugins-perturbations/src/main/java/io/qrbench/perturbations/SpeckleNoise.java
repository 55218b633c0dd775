package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.SplittableRandom;

/**
 * Multiplicative noise with scikit-image's {@code random_noise(mode='speckle')} semantics:
 * x + x * N(mean, sqrt(var)), clipped to [0,1]; or, with {@code severity}, CIFAR-10-C's "speckle
 * noise" (Hendrycks &amp; Dietterich 2019): x + x * N(0, c), c = 0.06, 0.10, 0.12, 0.16, 0.20.
 * Each image draws from its own seeded generator, one draw per value in (C, H, W) order.
 */
public final class SpeckleNoise implements Perturbation<SpeckleNoise.Config> {

  /**
   * The noise. With {@code severity} given, {@code mean} and {@code var} stay null.
   *
   * @param mean mean of the multiplicative noise (scikit-image's default 0)
   * @param var its variance (scikit-image's default 0.01, a standard deviation of 0.1)
   * @param severity CIFAR-10-C level 1..5 instead of mean and var, or null
   * @param quantizeToUint8 round the output to k/255, as a dataset stored as 8-bit images
   */
  public record Config(
      @JsonPropertyDescription("mean of the multiplicative noise (scikit-image default 0)") Double mean,
      @JsonPropertyDescription("variance of the multiplicative noise, not the standard deviation (default 0.01)")
          Double var,
      @JsonPropertyDescription("CIFAR-10-C severity 1..5 (std 0.06, 0.10, 0.12, 0.16, 0.20) instead of mean and var")
          Integer severity,
      @JsonPropertyDescription("round the output to k/255 (half to even), like images stored as 8 bits")
          Boolean quantizeToUint8) {
    public Config {
      Cifar10C.check("speckle", severity, "mean", mean, "var", var);
      if (severity == null) {
        mean = mean == null ? 0.0 : mean;
        var = var == null ? 0.01 : var;
        if (!Double.isFinite(mean)) {
          throw new IllegalArgumentException("mean must be a finite number, was " + mean);
        }
        if (!(var >= 0) || Double.isInfinite(var)) {
          throw new IllegalArgumentException("var must be a finite number >= 0, was " + var);
        }
      }
      quantizeToUint8 = quantizeToUint8 != null && quantizeToUint8;
    }

    /** The mean the multiplicative noise is drawn with. */
    double noiseMean() {
      return severity == null ? mean : 0.0;
    }

    /** The standard deviation the multiplicative noise is drawn with. */
    double noiseStd() {
      return severity == null ? Math.sqrt(var) : Cifar10C.constant(Cifar10C.SPECKLE_STD, severity);
    }
  }

  @Override
  public String id() {
    return "speckle";
  }

  @Override
  public String description() {
    return "multiplicative noise, scikit-image semantics: x + x * N(mean, sqrt(var)), clipped to [0,1];"
        + " or CIFAR-10-C severity 1..5";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NoiseBatch b = new NoiseBatch(ctx);
    float[] p = b.pixels;
    double mean = config.noiseMean();
    double std = config.noiseStd();
    for (int i = 0; i < b.images; i++) {
      SplittableRandom r = ctx.random(i);
      for (int j = b.start(i), end = j + b.perImage; j < end; j++) {
        double x = p[j];
        p[j] = (float) (x + x * (mean + std * r.nextGaussian()));
      }
    }
    return b.finish(config.quantizeToUint8());
  }
}
