package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;

/**
 * The basic iterative method, or iterative FGSM (Kurakin et al. 2017): FGSM steps of size {@code
 * step} from the clean image, each projected onto the L-infinity epsilon-ball and [0,1].
 */
public final class Bim implements Perturbation<Bim.Config> {

  /**
   * @param epsilon the L-infinity radius
   * @param step the size of each step (default 1/255)
   * @param steps the number of steps (default 10)
   */
  public record Config(
      @JsonPropertyDescription("L-infinity radius, [0,1] units (8/255 = 0.0314)")
          @Bound(min = 0, max = 1, why = "pixel units: 8/255 = 0.0314; 1 is the whole pixel range")
          Double epsilon,
      @JsonPropertyDescription("size of each step (default 1/255)") @Bound(min = 0, max = 1)
          Double step,
      @JsonPropertyDescription("number of steps")
          @Bound(min = 1, max = Steps.MAX_STEPS, why = Steps.WHY)
          Integer steps) {
    public Config {
      epsilon = epsilon == null ? 8 / 255.0 : epsilon;
      Steps.checkEpsilon(epsilon);
      step = step == null ? 1 / 255.0 : step;
      steps = steps == null ? 10 : steps;
      if (!(step >= 0) || steps < 1) {
        throw new IllegalArgumentException("step must be >= 0 and steps at least 1");
      }
    }
  }

  @Override
  public String id() {
    return "bim";
  }

  @Override
  public String description() {
    return "basic iterative method / iterative FGSM: projected sign steps from the clean image";
  }

  /** White-box: each step follows the loss gradient. */
  @Override
  public boolean usesGradients(Config config) {
    return true;
  }

  /** A gradient per step. */
  @Override
  public double passesPerImage(Config config) {
    return 3.0 * config.steps();
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    return Pgd.run(
        ctx,
        true,
        config.epsilon().floatValue(),
        config.step().floatValue(),
        config.steps(),
        false,
        1);
  }
}
