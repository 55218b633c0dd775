package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.Arrays;

/**
 * The smallest L-infinity perturbation that changes each image's prediction, within a budget: sign
 * steps of {@code step} inside a ball that grows by {@code step} per iteration, until the image is
 * misclassified, then a bisection on the segment of the last step. Images the budget cannot fool
 * keep their last iterate (so they count in the mean |x' - x| with the whole budget, a lower bound)
 * and are reported: the case records {@code fooled}, the fraction fooled. An image misclassified
 * already is fooled by no perturbation at all. This gives the study's "mean difference".
 */
public final class MinimalAttack implements Perturbation<MinimalAttack.Config> {

  /**
   * @param step the growth of the L-infinity ball per iteration
   * @param maxSteps the budget, in steps: the largest perturbation tried is maxSteps * step
   * @param bisection halvings of the last step's segment
   */
  public record Config(
      @JsonPropertyDescription(
              "growth of the L-infinity ball per iteration ([0,1] units; 1/255 = 0.0039)")
          @Bound(min = 0, minExclusive = true, max = 1)
          Double step,
      @JsonPropertyDescription(
              "budget in steps: the largest perturbation tried is max-steps * step")
          @Bound(min = 1, max = Steps.MAX_STEPS, why = Steps.WHY)
          Integer maxSteps,
      @JsonPropertyDescription("halvings of the last step's segment")
          @Bound(min = 0, max = 52, why = "a double has 52 bits of fraction")
          Integer bisection) {
    public Config {
      step = step == null ? 1 / 255.0 : step;
      maxSteps = maxSteps == null ? 64 : maxSteps;
      bisection = bisection == null ? 8 : bisection;
      if (!(step > 0) || maxSteps < 1 || bisection < 0) {
        throw new IllegalArgumentException(
            "step must be > 0, max-steps at least 1, bisection >= 0");
      }
    }
  }

  @Override
  public String id() {
    return "minimal";
  }

  @Override
  public String description() {
    return "smallest L-infinity perturbation that flips each prediction within a budget (steps + bisection)";
  }

  /** White-box: each step follows the loss gradient. */
  @Override
  public boolean usesGradients(Config config) {
    return true;
  }

  /** Its budget: a gradient per step, then a forward pass per halving. */
  @Override
  public double passesPerImage(Config config) {
    return 3.0 * config.maxSteps() + config.bisection();
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NDArray x0 = ctx.images();
    int n = ctx.batchSize();
    float step = config.step().floatValue();
    boolean[] fooled = wrong(ctx, x0);
    NDArray before = x0; // per image: the last iterate still classified right
    NDArray after = x0; // per image: the first iterate misclassified (or the last one tried)
    NDArray x = x0;
    for (int k = 1; k <= config.maxSteps() && !all(fooled); k++) {
      NDArray g = ctx.model().lossGradient(x, ctx.labels()).direction();
      NDArray next = Steps.projectLinf(Steps.linfStep(x, g, step), x0, k * step);
      boolean[] now = wrong(ctx, next);
      boolean[] fresh = new boolean[n];
      for (int i = 0; i < n; i++) {
        fresh[i] = now[i] && !fooled[i];
      }
      // before tracks x for images not fooled yet, so for the freshly fooled it already holds x
      before = pick(ctx, notYet(fooled, fresh), next, before);
      after = pick(ctx, notYet(fooled, new boolean[n]), next, after);
      for (int i = 0; i < n; i++) {
        fooled[i] |= now[i];
      }
      x = pick(ctx, fooled, x, next); // fooled images stop moving
    }
    NDArray result = bisect(ctx, before, after, fooled, config.bisection());
    float[] rec = new float[n];
    for (int i = 0; i < n; i++) {
      rec[i] = fooled[i] ? 1f : 0f;
    }
    ctx.record("fooled", rec);
    return result;
  }

  /**
   * Narrows each fooled image's segment [before, after] to its misclassified end nearest before.
   */
  private static NDArray bisect(
      PerturbationContext ctx, NDArray before, NDArray after, boolean[] fooled, int rounds) {
    int n = ctx.batchSize();
    float[] lo = new float[n];
    float[] hi = new float[n];
    Arrays.fill(hi, 1f);
    NDArray d = after.sub(before);
    for (int r = 0; r < rounds; r++) {
      float[] mid = new float[n];
      for (int i = 0; i < n; i++) {
        mid[i] = (lo[i] + hi[i]) / 2;
      }
      boolean[] wrong = wrong(ctx, point(ctx, before, d, mid));
      for (int i = 0; i < n; i++) {
        if (!fooled[i]) {
          continue;
        }
        if (wrong[i]) {
          hi[i] = mid[i];
        } else {
          lo[i] = mid[i];
        }
      }
    }
    return point(ctx, before, d, hi);
  }

  private static NDArray point(PerturbationContext ctx, NDArray before, NDArray d, float[] t) {
    return before.add(d.mul(column(ctx, t, before.getShape()))).clip(0f, 1f);
  }

  /** Per image: true where the model's top prediction is not the label. */
  private static boolean[] wrong(PerturbationContext ctx, NDArray x) {
    NDArray pred = ctx.model().logits(x).argMax(1).toType(DataType.INT32, false);
    return pred.neq(ctx.labels().toType(DataType.INT32, false)).toBooleanArray();
  }

  /** Per image: {@code ifTrue} where mask, else {@code ifFalse}. */
  private static NDArray pick(
      PerturbationContext ctx, boolean[] mask, NDArray ifTrue, NDArray ifFalse) {
    float[] m = new float[mask.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = mask[i] ? 1f : 0f;
    }
    NDArray c = column(ctx, m, ifTrue.getShape()).broadcast(ifTrue.getShape()).gt(0.5f);
    return NDArrays.where(c, ifTrue, ifFalse);
  }

  private static boolean[] notYet(boolean[] fooled, boolean[] fresh) {
    boolean[] out = new boolean[fooled.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = !fooled[i] && !fresh[i];
    }
    return out;
  }

  private static NDArray column(PerturbationContext ctx, float[] v, Shape like) {
    long[] dims = new long[like.dimension()];
    Arrays.fill(dims, 1);
    dims[0] = v.length;
    return ctx.manager().create(v).reshape(new Shape(dims));
  }

  private static boolean all(boolean[] b) {
    for (boolean x : b) {
      if (!x) {
        return false;
      }
    }
    return true;
  }
}
