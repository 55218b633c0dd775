package io.qrbench.runner;

import io.qrbench.result.CaseResult;

/**
 * Hears what a run is doing, for progress bars and logs. Every method does nothing by default. An
 * exception thrown by a listener stops the run (cases already finished stay on disk).
 */
public interface RunListener {

  /** A line of information for the user. */
  default void info(String message) {}

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
