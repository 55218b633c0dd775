package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;

/**
 * The fast gradient sign method (Goodfellow et al. 2015): x' = clip(x + epsilon * sign(grad_x
 * loss)) with the cross-entropy of the true label, the model in inference mode. The sign is taken
 * of the gradient's direction, which does not underflow for confident images, ignoring components
 * within rounding noise ({@link Steps#sign}).
 */
public final class Fgsm implements Perturbation<Fgsm.Config> {

  /**
   * @param epsilon the L-infinity size of the step, in [0,1] pixel units
   */
  public record Config(
      @JsonPropertyDescription("L-infinity step size in [0,1] units (8/255 = 0.0314)")
          @Bound(min = 0, max = 1, why = "pixel units: 8/255 = 0.0314; 1 is the whole pixel range")
          Double epsilon) {
    public Config {
      epsilon = epsilon == null ? 8 / 255.0 : epsilon;
      Steps.checkEpsilon(epsilon);
    }
  }

  @Override
  public String id() {
    return "fgsm";
  }

  @Override
  public String description() {
    return "fast gradient sign method: x + epsilon*sign(grad), one step, L-infinity";
  }

  /** White-box: the loss gradient's sign is the step. */
  @Override
  public boolean usesGradients(Config config) {
    return true;
  }

  /**
   * Cost estimate for balancing shards, in forward passes per image: one gradient (a forward and a
   * backward pass: 3) and the evaluation's forward pass.
   */
  @Override
  public double passesPerImage(Config config) {
    return 1 + 3;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    if (config.epsilon() == 0) {
      return ctx.images();
    }
    NDArray g = ctx.model().lossGradient(ctx.images(), ctx.labels()).direction();
    float[] range = Steps.range(ctx);
    return Steps.linfStep(ctx.images(), g, config.epsilon().floatValue()).clip(range[0], range[1]);
  }
}
