package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;

/**
 * Stochastic gradient descent with momentum, PyTorch's semantics: g = grad + wd * w; v = momentum *
 * v + g; step = nesterov ? g + momentum * v : v; w -= lr * step.
 *
 * @param learningRate the base (peak) learning rate; the schedule scales it
 * @param momentum momentum factor
 * @param nesterov Nesterov momentum
 * @param weightDecay L2 penalty added to every trainable parameter's gradient
 * @param quantizerLrFactor the learning rate of the quantizer's own trainable state (TTQ's scales)
 *     as a fraction of the weights' rate
 */
public record OptimizerSpec(
    @JsonPropertyDescription("base (peak) learning rate")
        @Bound(min = 0, minExclusive = true, max = 10)
        Double learningRate,
    @JsonPropertyDescription("momentum factor") @Bound(min = 0, max = 1, maxExclusive = true)
        Double momentum,
    @JsonPropertyDescription("use Nesterov momentum") Boolean nesterov,
    @JsonPropertyDescription("L2 weight decay") @Bound(min = 0, max = 1) Double weightDecay,
    @JsonPropertyDescription(
            "learning rate of the quantizer's trained state (TTQ's scales) relative to the weights' (default 1)")
        @Bound(min = 0, minExclusive = true, max = 1000)
        Double quantizerLrFactor) {
  public OptimizerSpec {
    learningRate = learningRate == null ? 0.1 : learningRate;
    momentum = momentum == null ? 0.9 : momentum;
    nesterov = nesterov != null && nesterov;
    weightDecay = weightDecay == null ? 1e-4 : weightDecay;
    quantizerLrFactor = quantizerLrFactor == null ? 1.0 : quantizerLrFactor;
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning-rate must be a positive number, was " + learningRate);
    }
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("nesterov needs a momentum above 0");
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight-decay must not be negative, was " + weightDecay);
    }
    if (!(quantizerLrFactor > 0) || Double.isInfinite(quantizerLrFactor)) {
      throw new IllegalArgumentException(
          "quantizer-lr-factor must be a positive number, was " + quantizerLrFactor);
    }
  }

  /** The defaults: lr 0.1, momentum 0.9, no Nesterov, weight decay 1e-4. */
  public static OptimizerSpec defaults() {
    return new OptimizerSpec(null, null, null, null, null);
  }
}
