package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.ModelUnderTest.LossGradient;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;

/**
 * Projected gradient descent (Madry et al. 2018): from a uniform random start in the epsilon-ball,
 * {@code steps} gradient steps of size {@code step}, each projected back onto the ball and [0,1].
 * L-infinity steps along sign(grad), L2 steps along grad / ||grad|| (of the gradient's direction,
 * rounding noise ignored: {@link Steps}). With several restarts, each image keeps the restart with
 * the highest loss. Without a random start this is BIM.
 */
public final class Pgd implements Perturbation<Pgd.Config> {

  /**
   * @param norm linf or l2
   * @param epsilon the ball's radius (linf default 8/255; l2 default 0.5)
   * @param step the step size (default epsilon / 4)
   * @param steps the number of steps
   * @param randomStart start from a uniform point in the ball
   * @param restarts independent runs; each image keeps the strongest
   */
  public record Config(
      @JsonPropertyDescription("linf or l2") String norm,
      @JsonPropertyDescription("radius of the ball, [0,1] units (linf: 8/255, l2: 0.5)")
          @Bound(
              min = 0,
              max = 64,
              why =
                  "pixel units: linf at most 1, the whole pixel range; l2 at most 64"
                      + " (a 3x32x32 image's diagonal is 55)")
          Double epsilon,
      @JsonPropertyDescription("step size (default epsilon/4)") @Bound(min = 0, max = 64)
          Double step,
      @JsonPropertyDescription("number of steps")
          @Bound(min = 1, max = Steps.MAX_STEPS, why = Steps.WHY)
          Integer steps,
      @JsonPropertyDescription("start from a uniform point in the ball") Boolean randomStart,
      @JsonPropertyDescription("independent runs; each image keeps the one with the highest loss")
          @Bound(min = 1, max = 1000, why = Steps.WHY)
          Integer restarts) {
    public Config {
      norm = Steps.norm(norm, "linf");
      epsilon = Steps.epsilon(epsilon, norm);
      step = step == null ? epsilon / 4 : step;
      steps = steps == null ? 10 : steps;
      randomStart = randomStart == null || randomStart;
      restarts = restarts == null ? 1 : restarts;
      if (!(step >= 0) || steps < 1 || restarts < 1) {
        throw new IllegalArgumentException("step must be >= 0, steps and restarts at least 1");
      }
    }

    boolean linf() {
      return norm.equals("linf");
    }
  }

  @Override
  public String id() {
    return "pgd";
  }

  @Override
  public String description() {
    return "projected gradient descent, L-infinity or L2, random start, restarts (Madry et al.)";
  }

  /** White-box: each step follows the loss gradient. */
  @Override
  public boolean usesGradients(Config config) {
    return true;
  }

  /**
   * Cost estimate for balancing shards, in forward passes per image: per restart, a gradient (3
   * forward passes' worth) per step and a few forward passes (start, checks, the best kept); and
   * the evaluation's forward pass.
   */
  @Override
  public double passesPerImage(Config config) {
    return 1 + config.restarts() * (3.0 * config.steps() + 3);
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    return run(
        ctx,
        config.linf(),
        config.epsilon().floatValue(),
        config.step().floatValue(),
        config.steps(),
        config.randomStart(),
        config.restarts());
  }

  /** The attack, shared with {@link Bim}. */
  static NDArray run(
      PerturbationContext ctx,
      boolean linf,
      float eps,
      float step,
      int steps,
      boolean randomStart,
      int restarts) {
    NDArray x0 = ctx.images();
    if (eps == 0) {
      return x0;
    }
    NDArray best = null;
    NDArray bestLoss = null;
    for (int r = 0; r < restarts; r++) {
      NDArray x = randomStart ? Steps.randomStart(ctx, eps, linf, r) : x0;
      float[] range = Steps.range(ctx);
      for (int s = 0; s < steps; s++) {
        NDArray g = ctx.model().lossGradient(x, ctx.labels()).direction();
        x =
            linf
                ? Steps.projectLinf(Steps.linfStep(x, g, step), x0, eps, range)
                : Steps.projectL2(Steps.l2Step(x, g, step), x0, eps, range);
      }
      if (restarts == 1) {
        return x;
      }
      LossGradient lg = ctx.model().lossGradient(x, ctx.labels());
      // the log-odds order images as the loss does, without the loss's rounding to 0 when confident
      if (best == null) {
        best = x;
        bestLoss = lg.logOdds();
      } else {
        NDArray better = lg.logOdds().gt(bestLoss);
        best =
            NDArrays.where(
                better.reshape(Steps.column(x.getShape())).broadcast(x.getShape()), x, best);
        bestLoss = NDArrays.where(better, lg.logOdds(), bestLoss);
      }
    }
    return best;
  }
}
