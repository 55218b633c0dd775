package io.qrbench.runner;

import io.qrbench.result.CaseResult;

/**
 * Hears what a run is doing, for progress bars and logs. Every method does nothing by default. An
 * exception thrown by a listener stops the run (cases already finished stay on disk).
 */
public interface RunListener {

  /** A line of information for the user. */
  default void info(String message) {}

  /**
   * A case the run is about to evaluate.
   *
   * @param id the case's id
   * @param images the images it evaluates
   * @param passesPerImage the estimated work per image in model forward passes, the evaluation's
   *     own included (see {@link io.qrbench.spi.Perturbation#passesPerImage})
   */
  record PlannedCase(String id, int images, double passesPerImage) {}

  /**
   * The run's cases are known, before any model is prepared: {@code pending} will run in this
   * order; {@code finished} more were kept from an earlier run (resume).
   */
  default void runPlanned(java.util.List<PlannedCase> pending, int finished) {}

  /** A model starts training in the run: {@code steps} batches in all. */
  default void trainingStarted(String model, int epochs, long steps) {}

  /** Training made {@code steps} more steps; {@code loss} is the last batch's loss. */
  default void trainingProgress(long steps, double loss) {}

  /** Training ended with this accuracy (percent) on its last epoch. */
  default void trainingFinished(String model, double accuracy) {}

  /** A model is built, its weights loaded or trained, and quantized: ready for its cases. */
  default void modelReady(io.qrbench.result.ModelResult model) {}

  /** A case starts; it will evaluate {@code images} images. */
  default void caseStarted(String caseId, int images) {}

  /** {@code images} more images of the current case were evaluated. */
  default void imagesDone(int images) {}

  /** A case finished (ok or failed) and is saved. */
  default void caseFinished(CaseResult result) {}

  /** A model's speed at one batch size was measured and is saved. */
  default void speedMeasured(io.qrbench.result.SpeedResult result) {}
}
