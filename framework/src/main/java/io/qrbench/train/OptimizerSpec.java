package io.qrbench.train;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Stochastic gradient descent with momentum, PyTorch's semantics: g = grad + wd * w;
 * v = momentum * v + g; step = nesterov ? g + momentum * v : v; w -= lr * step.
 *
 * @param learningRate the base (peak) learning rate; the schedule scales it
 * @param momentum momentum factor
 * @param nesterov Nesterov momentum
 * @param weightDecay L2 penalty added to every trainable parameter's gradient
 */
public record OptimizerSpec(
    @JsonPropertyDescription("base (peak) learning rate") Double learningRate,
    @JsonPropertyDescription("momentum factor") Double momentum,
    @JsonPropertyDescription("use Nesterov momentum") Boolean nesterov,
    @JsonPropertyDescription("L2 weight decay") Double weightDecay) {
  public OptimizerSpec {
    learningRate = learningRate == null ? 0.1 : learningRate;
    momentum = momentum == null ? 0.9 : momentum;
    nesterov = nesterov != null && nesterov;
    weightDecay = weightDecay == null ? 1e-4 : weightDecay;
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning-rate must be a positive number, was " + learningRate);
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
  }

  /** The defaults: lr 0.1, momentum 0.9, no Nesterov, weight decay 1e-4. */
  public static OptimizerSpec defaults() {
    return new OptimizerSpec(null, null, null, null);
  }
}
