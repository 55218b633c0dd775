package io.qrbench.runner;

import ai.djl.engine.EngineException;
import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.check.Checks;
import io.qrbench.eval.CaseEvaluator;
import io.qrbench.eval.CraftedImages;
import io.qrbench.io.AtomicFiles;
import io.qrbench.io.IoErrors;
import io.qrbench.model.Invoke;
import io.qrbench.model.LimitedDataset;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.CaseResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.ShardInfo;
import io.qrbench.result.SuiteInfo;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.util.FolderLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a suite: expands models x perturbations x levels into cases, evaluates each, and writes
 * {@code results.json} after every case, atomically. A failing case is recorded with its error and
 * the run goes on. With {@code resume}, cases already finished in the output folder are kept.
 */
public final class Runner {
  /** The canonical results file in a run's output folder. */
  public static final String RESULTS_FILE = "results.json";

  private final RunListener listener;

  public Runner(RunListener listener) {
    this.listener = listener;
  }

  /**
   * How to run.
   *
   * @param outDir where results go
   * @param resume keep the finished cases found in {@code outDir} and run the rest
   * @param overwrite replace results found in {@code outDir}
   * @param shard the share of the work to run, or null for all of it
   */
  public record Options(Path outDir, boolean resume, boolean overwrite, Shard shard) {
    /** A whole run. */
    public Options(Path outDir, boolean resume, boolean overwrite) {
      this(outDir, resume, overwrite, null);
    }
  }

  /**
   * One of {@code count} shards of a run ({@code --shard K/N}).
   *
   * @param index K, from 1 to {@code count}
   * @param count N
   */
  public record Shard(int index, int count) {
    public Shard {
      if (count < 1 || index < 1 || index > count) {
        throw new ConfigException(
            "--shard "
                + index
                + "/"
                + count
                + ": K must be from 1 to N and N at least 1 (e.g. --shard 2/3 runs the second of three shards)");
      }
    }

    /**
     * Reads {@code K/N}.
     *
     * @throws ConfigException when it is not two integers with 1 <= K <= N
     */
    public static Shard parse(String text) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*").matcher(text);
      if (!m.matches()) {
        throw new ConfigException(
            "--shard '"
                + text
                + "': expected K/N, e.g. 2/3 for the second of three shards (K from 1 to N)");
      }
      return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
      return index + "/" + count;
    }
  }

  /**
   * Runs {@code suite}. Returns the results, whatever happened to individual cases; check {@link
   * RunResult#allPassed()}.
   *
   * @throws ConfigException for bad input found before the first case (e.g. results of another
   *     suite in {@code outDir}), or when another run holds {@code outDir} (it is locked while a
   *     run writes it)
   */
  public RunResult run(Suite suite, Options options) {
    long start = System.nanoTime();
    // the data first: a dataset that cannot be opened is bad input, and leaves no output folder
    // behind
    ImageDataset data = Invoke.open(suite.dataset().provider(), suite.dataset().split());
    try (FolderLock lock =
        FolderLock.acquire(options.outDir(), "qrbench run " + suite.file(), listener::info)) {
      removeStaleTemporaries(options.outDir());
      return run(suite, options, start, data);
    }
  }

  /**
   * Removes what writes killed part way left: no live writer owns them while the folder is locked.
   */
  private void removeStaleTemporaries(Path outDir) {
    try {
      List<Path> removed = AtomicFiles.removeStaleTemporaries(outDir);
      if (!removed.isEmpty()) {
        listener.info(
            "removed "
                + removed.size()
                + " temporary file(s) left by an interrupted write in "
                + outDir);
      }
    } catch (IOException e) {
      listener.info(
          "could not remove the temporary files left in "
              + outDir
              + ": "
              + IoErrors.describe(e, outDir));
    }
  }

  private RunResult run(Suite suite, Options options, long start, ImageDataset data) {
    Path resultsFile = options.outDir().resolve(RESULTS_FILE);
    Map<String, String> digests = suite.weightsDigests(); // reads every weights file: once per run
    String fingerprint = suite.fingerprint(digests);
    String definition = suite.definition();
    Resumption.Resumed resumed =
        Resumption.previous(suite, digests, fingerprint, definition, options, resultsFile);
    RunResult previous = resumed == null ? null : resumed.kept();
    EnvironmentInfo env = environment();
    ImageDataset evalData = LimitedDataset.of(data, suite.dataset().limit());
    SuiteInfo info =
        new SuiteInfo(
            suite.name(),
            suite.description(),
            suite.file(),
            suite.seed(),
            suite.dataset().limit(),
            suite.dataset().provider().id(),
            suite.dataset().split().name().toLowerCase(java.util.Locale.ROOT),
            evalData.size(),
            fingerprint,
            suite.source(),
            definition,
            digests);
    ModelInput input =
        new ModelInput(data.channels(), data.height(), data.width(), data.classNames().size());
    List<CasePlan> plans = CasePlan.of(suite);
    RunJournal journal =
        new RunJournal(
            resultsFile,
            info,
            env,
            suite.models().stream().map(ModelEntry::name).toList(),
            plans.stream().map(CasePlan::id).toList(),
            previous,
            start,
            System::nanoTime);
    ShardPlan shardPlan = null;
    if (options.shard() != null) {
      shardPlan =
          ShardPlan.of(
              suite, evalData.size(), options.shard().count(), ModelPreparation.macs(suite, input));
      journal.shard(
          new ShardInfo(
              options.shard().index(),
              options.shard().count(),
              fingerprint,
              suite.seed(),
              suite.dataset().limit(),
              env.qrbenchVersion(),
              env.gitCommit(),
              suite.models().stream().map(ModelEntry::name).toList(),
              shardPlan.units(),
              List.of()),
          previous);
    }
    if (previous != null) {
      if (!resumed.changed().isEmpty()) {
        listener.info(
            "resuming: the weights of "
                + String.join(", ", resumed.changed())
                + " changed since the run began; their cases, and transfer attacks crafted on them, run again");
        CraftedImages.clear(options.outDir()); // some may have been crafted on the old weights
        CaseRunner.clearParts(options.outDir()); // and batches evaluated on them
      }
      listener.info(
          "resuming: "
              + (shardPlan == null
                  ? journal.finishedCount() + " finished case(s)"
                  : journal.finishedUnits() + " finished unit(s) of shard " + options.shard())
              + " kept from "
              + resultsFile);
    } else {
      CraftedImages.clear(options.outDir()); // left by a run this one replaces
      CaseRunner.clearParts(options.outDir());
      try {
        int removed = Reports.removePrevious(options.outDir(), RESULTS_FILE);
        if (removed > 0) {
          listener.info("removed " + removed + " report file(s) of the run this one replaces");
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot remove the earlier run's reports in " + options.outDir(), e);
      }
    }
    ModelPreparation preparation = new ModelPreparation(suite, options.outDir(), listener);
    CaseRunner cases =
        new CaseRunner(
            suite,
            new CaseEvaluator(evalData, suite.batchSize(), listener::imagesDone),
            listener,
            options.outDir());
    Map<String, CasePlan> byId = new java.util.HashMap<>();
    plans.forEach(p -> byId.put(p.id(), p));
    if (shardPlan == null) {
      listener.runPlanned(
          plans.stream()
              .filter(p -> !journal.finished(p.id()))
              .map(p -> new RunListener.PlannedCase(p.id(), evalData.size(), p.passesPerImage()))
              .toList(),
          journal.finishedCount());
    } else { // a shard's work is its units: a case's range of images each
      listener.runPlanned(
          shardPlan.of(options.shard().index()).stream()
              .filter(u -> !u.speed() && !journal.unitFinished(u.id()))
              .map(
                  u ->
                      new RunListener.PlannedCase(
                          u.caseId(), u.to() - u.from(), byId.get(u.caseId()).passesPerImage()))
              .toList(),
          journal.finishedUnits());
    }
    SpeedMeasurement speed = SpeedMeasurement.of(suite, evalData, env, listener);
    for (ModelEntry entry : suite.models()) {
      List<Work> pending;
      boolean timed;
      if (shardPlan == null) {
        pending =
            plans.stream()
                .filter(p -> p.model() == entry && !journal.finished(p.id()))
                .map(p -> new Work(p, null))
                .toList();
        timed = !SpeedMeasurement.speedBatches(suite, entry, journal).isEmpty();
      } else {
        List<ShardInfo.UnitRef> mine = shardPlan.of(options.shard().index());
        pending =
            mine.stream()
                .filter(u -> !u.speed() && byId.get(u.caseId()).model() == entry)
                .filter(u -> !journal.unitFinished(u.id()))
                .map(u -> new Work(byId.get(u.caseId()), u))
                .toList();
        timed =
            mine.stream()
                .anyMatch(
                    u ->
                        u.speed()
                            && u.caseId().equals(ShardInfo.UnitRef.SPEED + entry.name())
                            && !journal.unitFinished(u.id()));
      }
      if (!pending.isEmpty() || timed) {
        runModel(entry, input, pending, timed, preparation, cases, speed, journal);
      }
    }
    CraftedImages.clear(options.outDir()); // every model has been evaluated on them
    RunResult result = journal.finish();
    if (shardPlan != null) {
      // checks and reports are for the whole run: 'qrbench merge' makes them
      return result;
    }
    if (!suite.checks().isEmpty()) {
      result = result.withChecks(Checks.evaluate(suite.checks(), result));
      result
          .checks()
          .forEach(
              c ->
                  listener.info(
                      (c.passed() ? "check passed: " : "CHECK FAILED: ")
                          + c.expression()
                          + "  ["
                          + c.detail()
                          + "]"));
      journal.save(result);
    }
    writeReports(suite, result, options.outDir());
    return result;
  }

  /**
   * Prepares one model, runs its pending cases, then measures its speed if the suite asks; a model
   * that cannot be prepared fails its cases.
   */
  private void runModel(
      ModelEntry entry,
      ModelInput input,
      List<Work> pending,
      boolean timed,
      ModelPreparation preparation,
      CaseRunner cases,
      SpeedMeasurement speed,
      RunJournal journal) {
    LoadedModel model = null;
    String modelError = null;
    double loadSeconds = 0;
    java.util.Map<String, LoadedModel> sources = new java.util.HashMap<>();
    try {
      long t0 = System.nanoTime();
      model = preparation.load(entry, input);
      long built = System.nanoTime() - t0;
      ModelPreparation.Prepared prepared =
          preparation.prepare(entry, model, journal.model(entry.name()));
      loadSeconds = (built + prepared.loadNanos()) / 1e9;
      ModelResult ready = prepared.result();
      journal.put(ready);
      listener.modelReady(ready);
    } catch (RunJournal.SaveFailed e) {
      throw e; // not the model's fault: the run cannot go on
    } catch (RuntimeException e) {
      modelError = describe(e);
      listener.info("model '" + entry.name() + "' failed: " + modelError);
    }
    try {
      for (Work work : pending) {
        CasePlan plan = work.plan();
        CaseResult r;
        if (modelError != null) {
          r = CaseRunner.failed(plan, "model could not be prepared: " + modelError);
          if (work.unit() != null) {
            journal.put(new ShardInfo.UnitResult(work.unit(), r, null));
            listener.caseFinished(r);
            continue;
          }
        } else {
          LoadedModel self = model;
          Supplier<LoadedModel> attacked = () -> self;
          String source = plan.perturbation().source();
          if (source != null && !source.equals(entry.name())) {
            // loaded when a batch must be crafted, not before: the images may all be stored already
            attacked =
                () -> sources.computeIfAbsent(source, s -> preparation.source(s, input, journal));
          }
          if (work.unit() != null) {
            ShardInfo.UnitResult u = cases.run(model, attacked, plan, work.unit());
            journal.put(u);
            listener.caseFinished(u.result());
            continue;
          }
          r = cases.run(model, attacked, plan);
        }
        journal.put(r);
        listener.caseFinished(r);
      }
      // time the model alone: transfer sources are done with
      sources.values().forEach(LoadedModel::close);
      sources.clear();
      if (modelError == null && speed != null && timed) {
        speed.measureSpeed(entry, model, loadSeconds, journal);
        if (journal.isShard()) {
          journal.put(
              new ShardInfo.UnitResult(
                  new ShardInfo.UnitRef(
                      ShardInfo.UnitRef.SPEED + entry.name(), 0, 0, journal.shardIndex()),
                  null,
                  null));
        }
      }
    } finally {
      sources.values().forEach(LoadedModel::close);
      if (model != null) {
        model.close();
      }
    }
  }

  /** A case to run, whole or (in a shard) on the images of one unit. */
  private record Work(CasePlan plan, ShardInfo.UnitRef unit) {}

  private void writeReports(Suite suite, RunResult result, Path outDir) {
    Reports.write(suite.reports(), result, outDir, listener::info);
  }

  private static EnvironmentInfo environment() {
    try {
      return EnvironmentProbe.capture();
    } catch (EngineException | IllegalArgumentException e) {
      throw new QrbenchException(
          "no usable DJL engine: "
              + e.getMessage()
              + "; run qrbench through bin/qrbench, which puts the PyTorch engine on the class path",
          e);
    }
  }

  /**
   * What went wrong in words: the message, or for an exception without one (a bug), what it was.
   */
  static String describe(Throwable e) {
    String msg = e.getMessage();
    if (msg != null && !msg.isBlank()) {
      return msg.strip();
    }
    return "an unexpected "
        + e.getClass().getSimpleName()
        + " in qrbench (a bug: please report it with the run's log)";
  }
}
