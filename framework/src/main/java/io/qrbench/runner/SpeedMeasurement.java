package io.qrbench.runner;

import io.qrbench.model.LoadedModel;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.SpeedResult;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.ModelEntry;
import java.util.List;

/** Times each model's forward pass at the batch sizes of the suite's {@code speed:} section. */
final class SpeedMeasurement {
  private final Suite suite;
  private final SpeedMeter meter;
  private final RunListener listener;

  /** For a suite with a {@code speed:} section. */
  SpeedMeasurement(Suite suite, SpeedMeter meter, RunListener listener) {
    this.suite = suite;
    this.meter = meter;
    this.listener = listener;
  }

  /** The measurement {@code suite} asks for, or null when it has no {@code speed:} section. */
  static SpeedMeasurement of(
      Suite suite,
      io.qrbench.spi.ImageDataset evalData,
      EnvironmentInfo env,
      RunListener listener) {
    return suite.speed() == null
        ? null
        : new SpeedMeasurement(
            suite,
            new SpeedMeter(evalData, suite.speed(), speedThreads(suite, env, listener)),
            listener);
  }

  /** The batch sizes of the suite's {@code speed:} section not yet measured for {@code entry}. */
  static List<Integer> speedBatches(Suite suite, ModelEntry entry, RunJournal journal) {
    return suite.speed() == null
        ? List.of()
        : suite.speed().batchSizes().stream()
            .filter(b -> !journal.speedMeasured(entry.name(), b))
            .toList();
  }

  /** Times the model at each batch size still to measure; a failure is reported and skipped. */
  void measureSpeed(ModelEntry entry, LoadedModel model, double loadSeconds, RunJournal journal) {
    for (int batch : speedBatches(suite, entry, journal)) {
      try {
        SpeedResult r = meter.measure(model, batch, loadSeconds);
        journal.put(r);
        listener.speedMeasured(r);
      } catch (RuntimeException e) {
        listener.info(
            "speed of model '"
                + entry.name()
                + "' at batch "
                + batch
                + " failed: "
                + Runner.describe(e));
      }
    }
  }

  /**
   * The intra-op threads to record with speed results: what the engine was told at start-up, else
   * what the suite says, else every core. The engine cannot change them once started, so a suite
   * that disagrees with the engine gets a warning and the engine's number.
   */
  private static int speedThreads(Suite suite, EnvironmentInfo env, RunListener listener) {
    Integer asked = suite.speed().threads();
    if (asked != null && env.threads() != null && !asked.equals(env.threads())) {
      listener.info(
          "speed: the suite says threads: "
              + asked
              + " but the engine was started with "
              + env.threads()
              + " (ai.djl.pytorch.num_threads, QRBENCH_THREADS); recording "
              + env.threads());
    }
    return env.threads() != null ? env.threads() : asked != null ? asked : env.cores();
  }
}
