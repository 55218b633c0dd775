package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import java.util.List;
import java.util.Locale;

/**
 * How the learning rate changes over training; evaluated per step, so a resumed run follows the
 * same curve. Types: {@code constant}; {@code step} (multiply by {@code gamma} at each epoch in
 * {@code milestones}); {@code cosine} (anneal to {@code final-learning-rate}); {@code one-cycle}
 * (warm up from lr / div-factor to lr over the first {@code pct-start} of steps, then cosine down
 * to lr / final-div-factor). {@code warmup-epochs} ramps linearly from 0 first (not for one-cycle,
 * which has its own warm-up).
 *
 * @param type constant, step, cosine or one-cycle
 * @param milestones epochs at which a step schedule multiplies the rate by gamma
 * @param gamma the step schedule's factor
 * @param warmupEpochs epochs of linear warm-up (fractions allowed)
 * @param finalLearningRate where cosine ends
 * @param pctStart one-cycle: fraction of steps spent warming up
 * @param divFactor one-cycle: starting rate is lr / div-factor
 * @param finalDivFactor one-cycle: final rate is lr / final-div-factor
 */
public record ScheduleSpec(
    @JsonPropertyDescription("constant, step, cosine or one-cycle") String type,
    @JsonPropertyDescription("step: epochs at which the rate is multiplied by gamma")
        @Bound(min = 0, max = 10_000, why = "epochs, counted from 0")
        List<Integer> milestones,
    @JsonPropertyDescription("step: the factor") @Bound(min = 0, minExclusive = true, max = 10)
        Double gamma,
    @JsonPropertyDescription("linear warm-up from 0, in epochs") @Bound(min = 0, max = 10_000)
        Double warmupEpochs,
    @JsonPropertyDescription("cosine: the final rate") @Bound(min = 0, max = 10)
        Double finalLearningRate,
    @JsonPropertyDescription("one-cycle: fraction of steps spent warming up")
        @Bound(min = 0, max = 1, minExclusive = true, maxExclusive = true)
        Double pctStart,
    @JsonPropertyDescription("one-cycle: start at lr / div-factor") @Bound(min = 1, max = 1e6)
        Double divFactor,
    @JsonPropertyDescription("one-cycle: end at lr / final-div-factor") @Bound(min = 1, max = 1e9)
        Double finalDivFactor) {
  static final List<String> TYPES = List.of("constant", "step", "cosine", "one-cycle");

  public ScheduleSpec {
    type = type == null ? "cosine" : type.toLowerCase(Locale.ROOT);
    milestones = milestones == null ? List.of() : List.copyOf(milestones);
    gamma = gamma == null ? 0.1 : gamma;
    warmupEpochs = warmupEpochs == null ? 0.0 : warmupEpochs;
    finalLearningRate = finalLearningRate == null ? 0.0 : finalLearningRate;
    pctStart = pctStart == null ? 0.3 : pctStart;
    divFactor = divFactor == null ? 25.0 : divFactor;
    finalDivFactor = finalDivFactor == null ? 1e4 : finalDivFactor;
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "type must be one of " + String.join(", ", TYPES) + ", was '" + type + "'");
    }
    if (!(gamma > 0)) {
      throw new IllegalArgumentException("gamma must be positive, was " + gamma);
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("warmup-epochs must not be negative, was " + warmupEpochs);
    }
    if (!(pctStart > 0 && pctStart < 1)) {
      throw new IllegalArgumentException("pct-start must be in (0, 1), was " + pctStart);
    }
    if (!(divFactor >= 1) || !(finalDivFactor >= 1)) {
      throw new IllegalArgumentException("div-factor and final-div-factor must be at least 1");
    }
    for (int i = 1; i < milestones.size(); i++) {
      if (milestones.get(i) <= milestones.get(i - 1)) {
        throw new IllegalArgumentException("milestones must increase, were " + milestones);
      }
    }
  }

  /** Cosine annealing to 0, no warm-up. */
  public static ScheduleSpec cosine() {
    return new ScheduleSpec("cosine", null, null, null, null, null, null, null);
  }

  /**
   * The learning rate at a step.
   *
   * @param base the optimizer's learning rate
   * @param step 0-based global step
   * @param stepsPerEpoch steps in one epoch
   * @param epochs epochs in the whole training
   */
  public double rate(double base, long step, long stepsPerEpoch, int epochs) {
    long total = Math.max(1, stepsPerEpoch * epochs);
    double progress = Math.min(1.0, (double) step / total);
    if (type.equals("one-cycle")) {
      double start = base / divFactor;
      double end = base / finalDivFactor;
      if (progress < pctStart) {
        return start + (base - start) * (progress / pctStart);
      }
      return end
          + (base - end) * 0.5 * (1 + Math.cos(Math.PI * (progress - pctStart) / (1 - pctStart)));
    }
    double warmupSteps = warmupEpochs * stepsPerEpoch;
    if (step < warmupSteps) {
      return base * (step + 1) / warmupSteps;
    }
    return switch (type) {
      case "constant" -> base;
      case "step" -> {
        double epoch = (double) step / stepsPerEpoch;
        long passed = milestones.stream().filter(m -> epoch >= m).count();
        yield base * Math.pow(gamma, passed);
      }
      default -> {
        double t = total <= warmupSteps ? 1 : (step - warmupSteps) / (total - warmupSteps);
        yield finalLearningRate
            + (base - finalLearningRate) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t)));
      }
    };
  }
}
