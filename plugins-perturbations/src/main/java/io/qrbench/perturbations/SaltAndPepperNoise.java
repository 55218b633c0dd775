package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.SplittableRandom;

/**
 * Impulse noise with scikit-image's {@code random_noise(mode='s&p')} semantics: each value
 * (channels separately) is replaced with probability {@code amount}; a replaced value becomes 1
 * with probability {@code salt-vs-pepper}, else 0. With {@code severity}, CIFAR-10-C's "impulse
 * noise" (Hendrycks &amp; Dietterich 2019): the same with amount c = 0.01, 0.02, 0.03, 0.05, 0.07
 * and salt-vs-pepper 0.5.
 *
 * <p>One uniform draw u per value decides both events: u &lt; amount * salt-vs-pepper gives salt,
 * otherwise u &lt; amount gives pepper. That is the same joint distribution as scikit-image's two
 * independent Bernoulli masks (replaced with probability amount; salt given replaced with
 * probability salt-vs-pepper), with half the draws.
 */
public final class SaltAndPepperNoise implements Perturbation<SaltAndPepperNoise.Config> {

  /**
   * The noise. With {@code severity} given, {@code amount} and {@code saltVsPepper} stay null.
   *
   * @param amount probability that a value is replaced (scikit-image's default 0.05)
   * @param saltVsPepper probability that a replaced value becomes 1 rather than 0 (default 0.5)
   * @param severity CIFAR-10-C level 1..5 instead of amount and salt-vs-pepper, or null
   * @param quantizeToUint8 round the output to k/255, as a dataset stored as 8-bit images
   */
  public record Config(
      @JsonPropertyDescription(
              "probability that a value (each channel separately) is replaced (default 0.05)")
          @Bound(min = 0, max = 1)
          Double amount,
      @JsonPropertyDescription(
              "probability that a replaced value becomes 1 (salt) rather than 0 (default 0.5)")
          @Bound(min = 0, max = 1)
          Double saltVsPepper,
      @JsonPropertyDescription(
              "CIFAR-10-C severity 1..5 (amount 0.01, 0.02, 0.03, 0.05, 0.07) instead of amount")
          @Bound(min = 1, max = 5)
          Integer severity,
      @JsonPropertyDescription(
              "round the output to k/255 (half to even), like images stored as 8 bits")
          Boolean quantizeToUint8) {
    public Config {
      Cifar10C.check("salt-and-pepper", severity, "amount", amount, "salt-vs-pepper", saltVsPepper);
      if (severity == null) {
        amount = amount == null ? 0.05 : amount;
        saltVsPepper = saltVsPepper == null ? 0.5 : saltVsPepper;
        if (!(amount >= 0 && amount <= 1)) {
          throw new IllegalArgumentException(
              "amount must be a probability in [0, 1], was " + amount);
        }
        if (!(saltVsPepper >= 0 && saltVsPepper <= 1)) {
          throw new IllegalArgumentException(
              "salt-vs-pepper must be a probability in [0, 1], was " + saltVsPepper);
        }
      }
      quantizeToUint8 = quantizeToUint8 != null && quantizeToUint8;
    }

    /** The probability that a value is replaced. */
    double replaced() {
      return severity == null ? amount : Cifar10C.constant(Cifar10C.IMPULSE_AMOUNT, severity);
    }

    /** The probability that a replaced value becomes 1. */
    double salt() {
      return severity == null ? saltVsPepper : 0.5;
    }
  }

  @Override
  public String id() {
    return "salt-and-pepper";
  }

  @Override
  public String description() {
    return "impulse noise, scikit-image s&p semantics: each value set to 1 or 0 with probability amount;"
        + " or CIFAR-10-C impulse severity 1..5";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NoiseBatch b = new NoiseBatch(ctx);
    float[] p = b.pixels;
    double amount = config.replaced();
    double saltBelow = amount * config.salt();
    for (int i = 0; i < b.images; i++) {
      SplittableRandom r = ctx.random(i);
      // scikit-image: salt is 1, pepper the low clip (-1 for an image with negative values)
      float salt = ctx.clipHigh(i);
      float pepper = ctx.clipLow(i);
      for (int j = b.start(i), end = j + b.perImage; j < end; j++) {
        double u = r.nextDouble();
        if (u < amount) {
          p[j] = u < saltBelow ? salt : pepper;
        }
      }
    }
    return b.finish(config.quantizeToUint8());
  }
}
