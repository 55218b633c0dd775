package io.qrbench.train;

/** Hears what a training does, for progress bars and logs. Every method does nothing by default. */
public interface TrainingListener {

  /** A line of information for the user. */
  default void info(String message) {}

  /** Epoch {@code epoch} (1-based) of {@code epochs} starts; it has {@code steps} steps. */
  default void epochStarted(int epoch, int epochs, long steps) {}

  /**
   * A step finished.
   *
   * @param loss this step's mean loss
   * @param top1 the epoch's running top-1 accuracy, percent
   * @param imagesPerSecond the epoch's running training throughput
   */
  default void stepFinished(double loss, double top1, double imagesPerSecond) {}

  /** The test split is being evaluated after an epoch. */
  default void evaluating(int images) {}

  /** An epoch finished and is saved. */
  default void epochFinished(EpochLog log) {}
}
