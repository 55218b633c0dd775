package io.qrbench.train;

import io.qrbench.suite.AugmentSpec;
import io.qrbench.suite.OptimizerSpec;
import io.qrbench.suite.ScheduleSpec;

/**
 * The numbers a training loop follows, from a {@code qrbench train} spec or a suite model's {@code
 * train:} section.
 *
 * @param epochs epochs to train in all
 * @param batchSize images per step
 * @param optimizer SGD settings
 * @param schedule how the learning rate changes per step
 * @param augment training-time augmentation
 * @param seed shuffling and augmentation derive from it
 */
public record TrainingLoopSettings(
    int epochs,
    int batchSize,
    OptimizerSpec optimizer,
    ScheduleSpec schedule,
    AugmentSpec augment,
    long seed) {
  public TrainingLoopSettings {
    if (epochs < 1 || batchSize < 1) {
      throw new IllegalArgumentException("epochs and batch size must be at least 1");
    }
  }
}
