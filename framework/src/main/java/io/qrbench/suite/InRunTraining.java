package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;

/**
 * A suite model's {@code train:} section: training the model inside the run, for models without a
 * weights file: SGD with momentum and a cosine learning-rate schedule on the dataset's train split.
 * ({@link TrainingSpec} is the other way to train: a spec file for {@code qrbench train}.)
 *
 * @param epochs passes over the training images
 * @param batchSize images per step
 * @param learningRate peak learning rate
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay
 * @param limit use only the first N training images (all when absent)
 */
public record InRunTraining(
    @JsonPropertyDescription("passes over the training images")
        @Bound(min = 1, max = 10_000, why = Bounds.EPOCHS)
        Integer epochs,
    @JsonPropertyDescription("images per step") @Bound(min = 1, max = 65536, why = Bounds.BATCH)
        Integer batchSize,
    @JsonPropertyDescription("peak learning rate of the cosine schedule")
        @Bound(min = 0, minExclusive = true, max = 10)
        Double learningRate,
    @JsonPropertyDescription("SGD momentum") @Bound(min = 0, max = 1, maxExclusive = true)
        Double momentum,
    @JsonPropertyDescription("L2 weight decay") @Bound(min = 0, max = 1) Double weightDecay,
    @JsonPropertyDescription("train on the first N images only") @Bound(min = 1) Integer limit) {
  public InRunTraining {
    epochs = epochs == null ? 5 : epochs;
    batchSize = batchSize == null ? 64 : batchSize;
    learningRate = learningRate == null ? 0.05 : learningRate;
    momentum = momentum == null ? 0.9 : momentum;
    weightDecay = weightDecay == null ? 5e-4 : weightDecay;
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch-size must be at least 1, was " + batchSize);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning-rate must be positive, was " + learningRate);
    }
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight-decay must not be negative, was " + weightDecay);
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }
}
