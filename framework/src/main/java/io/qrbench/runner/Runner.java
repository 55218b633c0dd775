package io.qrbench.runner;

import io.qrbench.model.LoadedModel;
import io.qrbench.model.Invoke;
import io.qrbench.model.LimitedDataset;
import io.qrbench.eval.CaseEvaluator;
import io.qrbench.eval.CraftedImages;
import io.qrbench.eval.ImageSeeds;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.check.Checks;
import io.qrbench.result.CaseResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.Metrics;
import io.qrbench.result.ModelCost;
import io.qrbench.result.ModelResult;
import io.qrbench.store.ResultsJson;
import io.qrbench.result.RunResult;
import io.qrbench.result.SpeedResult;
import io.qrbench.result.SuiteInfo;
import io.qrbench.spi.ImageDataset;
import io.qrbench.nn.Layers;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.Split;
import io.qrbench.suite.InRunTraining;
import io.qrbench.suite.AugmentSpec;
import io.qrbench.train.EpochLog;
import io.qrbench.suite.OptimizerSpec;
import io.qrbench.suite.ScheduleSpec;
import io.qrbench.train.TrainingListener;
import io.qrbench.train.TrainingLoop;
import io.qrbench.train.TrainingLoopSettings;
import io.qrbench.weights.MetadataCheck;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.Level;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.suite.Suite.PerturbationEntry;
import io.qrbench.io.AtomicFiles;
import io.qrbench.util.FolderLock;
import io.qrbench.io.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
   */
  public record Options(Path outDir, boolean resume, boolean overwrite) {}

  /** A case to run. */
  private record Plan(String id, ModelEntry model, PerturbationEntry perturbation, Level level) {}

  /**
   * Runs {@code suite}. Returns the results, whatever happened to individual cases; check
   * {@link RunResult#allPassed()}.
   *
   * @throws ConfigException for bad input found before the first case (e.g. results of another
   *     suite in {@code outDir}), or when another run holds {@code outDir} (it is locked while a run
   *     writes it)
   */
  public RunResult run(Suite suite, Options options) {
    long start = System.nanoTime();
    // the data first: a dataset that cannot be opened is bad input, and leaves no output folder behind
    ImageDataset data = Invoke.open(suite.dataset().provider(), suite.dataset().split());
    try (FolderLock lock = FolderLock.acquire(options.outDir(), "qrbench run " + suite.file(), listener::info)) {
      removeStaleTemporaries(options.outDir());
      return run(suite, options, start, data);
    }
  }

  /** Removes what writes killed part way left: no live writer owns them while the folder is locked. */
  private void removeStaleTemporaries(Path outDir) {
    try {
      List<Path> removed = AtomicFiles.removeStaleTemporaries(outDir);
      if (!removed.isEmpty()) {
        listener.info("removed " + removed.size() + " temporary file(s) left by an interrupted write in " + outDir);
      }
    } catch (IOException e) {
      listener.info("could not remove the temporary files left in " + outDir + ": " + IoErrors.describe(e, outDir));
    }
  }

  private RunResult run(Suite suite, Options options, long start, ImageDataset data) {
    Path resultsFile = options.outDir().resolve(RESULTS_FILE);
    Map<String, String> digests = suite.weightsDigests(); // reads every weights file: once per run
    String fingerprint = suite.fingerprint(digests);
    String definition = suite.definition();
    Resumed resumed = previous(suite, digests, fingerprint, definition, options, resultsFile);
    RunResult previous = resumed == null ? null : resumed.kept();
    EnvironmentInfo env = environment();
    ImageDataset evalData = LimitedDataset.of(data, suite.dataset().limit());
    SuiteInfo info = new SuiteInfo(suite.name(), suite.description(), suite.file(), suite.seed(),
        suite.dataset().limit(), suite.dataset().provider().id(),
        suite.dataset().split().name().toLowerCase(java.util.Locale.ROOT), evalData.size(),
        fingerprint, suite.source(), definition, digests);
    ModelInput input = new ModelInput(data.channels(), data.height(), data.width(), data.classNames().size());
    List<Plan> plans = plans(suite);
    RunJournal journal = new RunJournal(resultsFile, info, env,
        suite.models().stream().map(ModelEntry::name).toList(), plans.stream().map(Plan::id).toList(), previous,
        start, System::nanoTime);
    if (previous != null) {
      if (!resumed.changed().isEmpty()) {
        listener.info("resuming: the weights of " + String.join(", ", resumed.changed())
            + " changed since the run began; their cases, and transfer attacks crafted on them, run again");
        CraftedImages.clear(options.outDir()); // some may have been crafted on the old weights
      }
      listener.info("resuming: " + journal.finishedCount() + " finished case(s) kept from " + resultsFile);
    } else {
      CraftedImages.clear(options.outDir()); // left by a run this one replaces
    }
    CaseEvaluator evaluator = new CaseEvaluator(evalData, suite.batchSize(), listener::imagesDone);
    SpeedMeter meter = suite.speed() == null ? null : new SpeedMeter(evalData, suite.speed(), speedThreads(suite, env));
    for (ModelEntry entry : suite.models()) {
      List<Plan> pending = plans.stream().filter(p -> p.model() == entry && !journal.finished(p.id())).toList();
      if (!pending.isEmpty() || !speedBatches(suite, entry, journal).isEmpty()) {
        runModel(suite, entry, input, pending, evaluator, meter, journal, options.outDir());
      }
    }
    CraftedImages.clear(options.outDir()); // every model has been evaluated on them
    RunResult result = journal.finish();
    if (!suite.checks().isEmpty()) {
      result = result.withChecks(Checks.evaluate(suite.checks(), result));
      result.checks().forEach(c -> listener.info((c.passed() ? "check passed: " : "CHECK FAILED: ")
          + c.expression() + "  [" + c.detail() + "]"));
      journal.save(result);
    }
    writeReports(suite, result, options.outDir());
    return result;
  }

  /**
   * Prepares one model, runs its pending cases, then measures its speed if the suite asks; a model
   * that cannot be prepared fails its cases.
   */
  private void runModel(Suite suite, ModelEntry entry, ModelInput input, List<Plan> pending,
      CaseEvaluator evaluator, SpeedMeter meter, RunJournal journal, Path outDir) {
    LoadedModel model = null;
    String modelError = null;
    double loadSeconds = 0;
    java.util.Map<String, LoadedModel> sources = new java.util.HashMap<>();
    try {
      long t0 = System.nanoTime();
      model = load(suite, entry, input, outDir, journal);
      long built = System.nanoTime() - t0;
      Prepared prepared = prepare(suite, entry, model, outDir, journal.model(entry.name()));
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
      for (Plan plan : pending) {
        CaseResult r;
        if (modelError != null) {
          r = failed(plan, "model could not be prepared: " + modelError);
        } else {
          LoadedModel self = model;
          Supplier<LoadedModel> attacked = () -> self;
          String source = plan.perturbation().source();
          if (source != null && !source.equals(entry.name())) {
            // loaded when a batch must be crafted, not before: the images may all be stored already
            attacked = () -> sources.computeIfAbsent(source, s -> source(suite, s, input, outDir, journal));
          }
          r = runCase(suite, evaluator, model, attacked, plan, outDir);
        }
        journal.put(r);
        listener.caseFinished(r);
      }
      // time the model alone: transfer sources are done with
      sources.values().forEach(LoadedModel::close);
      sources.clear();
      if (modelError == null && meter != null) {
        measureSpeed(suite, entry, model, meter, loadSeconds, journal);
      }
    } finally {
      sources.values().forEach(LoadedModel::close);
      if (model != null) {
        model.close();
      }
    }
  }

  /** The batch sizes of the suite's {@code speed:} section not yet measured for {@code entry}. */
  private static List<Integer> speedBatches(Suite suite, ModelEntry entry, RunJournal journal) {
    return suite.speed() == null ? List.of()
        : suite.speed().batchSizes().stream().filter(b -> !journal.speedMeasured(entry.name(), b)).toList();
  }

  /** Times the model at each batch size still to measure; a failure is reported and skipped. */
  private void measureSpeed(Suite suite, ModelEntry entry, LoadedModel model, SpeedMeter meter, double loadSeconds,
      RunJournal journal) {
    for (int batch : speedBatches(suite, entry, journal)) {
      try {
        SpeedResult r = meter.measure(model, batch, loadSeconds);
        journal.put(r);
        listener.speedMeasured(r);
      } catch (RuntimeException e) {
        listener.info("speed of model '" + entry.name() + "' at batch " + batch + " failed: " + describe(e));
      }
    }
  }

  /**
   * The intra-op threads to record with speed results: what the engine was told at start-up, else
   * what the suite says, else every core. The engine cannot change them once started, so a suite
   * that disagrees with the engine gets a warning and the engine's number.
   */
  private int speedThreads(Suite suite, EnvironmentInfo env) {
    Integer asked = suite.speed().threads();
    if (asked != null && env.threads() != null && !asked.equals(env.threads())) {
      listener.info("speed: the suite says threads: " + asked + " but the engine was started with "
          + env.threads() + " (ai.djl.pytorch.num_threads, QRBENCH_THREADS); recording " + env.threads());
    }
    return env.threads() != null ? env.threads() : asked != null ? asked : env.cores();
  }

  /** Builds a suite model (seeding its initial weights per model) without loading weights. */
  private LoadedModel load(Suite suite, ModelEntry entry, ModelInput input, Path outDir, RunJournal journal) {
    Engine.getInstance().setRandomSeed((int) ImageSeeds.derive(suite.seed(), "init:" + entry.name()));
    Layers layers = Invoke.trainingHook(entry.quantizer()).map(Layers::withHook).orElseGet(Layers::plain);
    return new LoadedModel(entry.name(), input, layers, manager -> build(entry, input, layers, manager));
  }

  /** {@link #prepared}, its failure said as the source's. */
  private LoadedModel source(Suite suite, String name, ModelInput input, Path outDir, RunJournal journal) {
    try {
      return prepared(suite, name, input, outDir, journal);
    } catch (RuntimeException e) {
      throw new QrbenchException("source model '" + name + "' could not be prepared: " + describe(e), e);
    }
  }

  /** The source model of a transfer attack, ready to craft on (its own results are recorded in its turn). */
  private LoadedModel prepared(Suite suite, String name, ModelInput input, Path outDir, RunJournal journal) {
    ModelEntry entry = suite.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    LoadedModel m = load(suite, entry, input, outDir, journal);
    try {
      prepare(suite, entry, m, outDir, journal.model(name));
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * What a resumed run keeps of the results found: all of them, or, where only some weights changed,
   * what those weights did not touch.
   *
   * @param kept the earlier results less what must run again
   * @param changed the models whose weights changed, in suite order; empty when none did
   */
  private record Resumed(RunResult kept, List<String> changed) {}

  private Resumed previous(Suite suite, Map<String, String> digests, String fingerprint, String definition,
      Options options, Path resultsFile) {
    if (!Files.exists(resultsFile)) {
      return null;
    }
    if (!options.resume()) {
      if (options.overwrite()) {
        return null;
      }
      throw new ConfigException(resultsFile + " already holds results; pass --resume to continue "
          + "that run, --overwrite to replace it, or --out to write elsewhere");
    }
    RunResult r = ResultsJson.read(resultsFile);
    if (fingerprint.equals(r.suite().fingerprint())) {
      return new Resumed(r, List.of());
    }
    if (r.suite().definition() == null || !r.suite().definition().equals(definition)) {
      throw new ConfigException(resultsFile + " holds results of a different suite, seed, limit or weights ('"
          + r.suite().name() + "'); resume with the same suite and options, or use another --out");
    }
    List<String> changed = suite.models().stream().map(ModelEntry::name)
        .filter(m -> !java.util.Objects.equals(digests.get(m), r.suite().weights().get(m))).toList();
    return new Resumed(withoutModels(suite, r, changed), changed);
  }

  /**
   * {@code r} less everything that depends on the {@code changed} models: their records, speed and
   * cases, and every model's cases of transfer attacks crafted on them.
   */
  private static RunResult withoutModels(Suite suite, RunResult r, List<String> changed) {
    Set<String> fromChanged = suite.perturbations().stream()
        .filter(p -> p.source() != null && changed.contains(p.source()))
        .map(PerturbationEntry::name).collect(java.util.stream.Collectors.toSet());
    return new RunResult(r.schema(), r.suite(), r.environment(), r.status(), r.startedAt(), r.finishedAt(),
        r.wallSeconds(),
        r.models().stream().filter(m -> !changed.contains(m.name())).toList(),
        r.cases().stream().filter(c -> !changed.contains(c.model()) && !fromChanged.contains(c.perturbation())).toList(),
        r.checks(),
        r.speed().stream().filter(s -> !changed.contains(s.model())).toList());
  }

  private static List<Plan> plans(Suite suite) {
    List<Plan> plans = new ArrayList<>();
    for (ModelEntry m : suite.models()) {
      for (PerturbationEntry p : suite.perturbations()) {
        for (Level l : p.levels()) {
          String id = m.name() + "/" + p.name() + (l.label().isEmpty() ? "" : "[" + l.label() + "]");
          plans.add(new Plan(id, m, p, l));
        }
      }
    }
    return plans;
  }

  private CaseResult runCase(Suite suite, CaseEvaluator evaluator, LoadedModel model, Supplier<LoadedModel> attacked,
      Plan plan, Path outDir) {
    listener.caseStarted(plan.id(), evaluator.images());
    try {
      long seed = ImageSeeds.levelSeed(suite.seed(), plan.perturbation().name(), plan.level().label());
      CraftedImages crafted = plan.perturbation().source() == null ? null
          : CraftedImages.of(outDir, plan.perturbation().name(), plan.level().label());
      Metrics m = evaluator.evaluate(model, attacked, plan.perturbation().plugin(), plan.level().config(), seed, crafted);
      return new CaseResult(plan.id(), plan.model().name(), plan.perturbation().name(),
          plan.perturbation().plugin().id(), plan.level().label(), plan.level().params(), "ok", null, m);
    } catch (RuntimeException e) {
      return failed(plan, describe(e));
    }
  }

  private static CaseResult failed(Plan plan, String error) {
    return new CaseResult(plan.id(), plan.model().name(), plan.perturbation().name(),
        plan.perturbation().plugin().id(), plan.level().label(), plan.level().params(), "failed", error, null);
  }

  /**
   * A prepared model's record, and the nanoseconds its weights took to load and quantize
   * (training and BatchNorm re-estimation left out: they are not part of loading a model).
   */
  private record Prepared(ModelResult result, long loadNanos) {}

  /**
   * Loads or trains the weights, then quantizes. {@code earlier} is what an interrupted attempt of
   * this run recorded about the model, or null.
   */
  private Prepared prepare(Suite suite, ModelEntry entry, LoadedModel model, Path outDir, ModelResult earlier) {
    long start = System.nanoTime();
    long aside = 0;
    String source;
    Double trainAccuracy = null;
    if (entry.model().plugin(ModelProvider.class).readsOwnWeights()) {
      model.prepareHook(null, null);
      source = entry.weights().toString();
    } else if (entry.weights() != null) {
      WeightsMetadata meta = WeightsFile.readMetadata(entry.weights());
      MetadataCheck.check(entry.weights(), meta, entry.model(), model.input());
      WeightsFile.Loaded loaded = WeightsFile.load(model.block(), model.manager(), entry.weights());
      // a quantizer's trained state (TTQ's scales) applies only to that quantizer
      model.prepareHook(meta.quantizer().equals(entry.quantizer().id()) ? loaded.extra() : null, entry.weights());
      source = entry.weights().toString();
    } else {
      Path saved = outDir.resolve("models").resolve(safe(entry.name()) + ".params");
      if (Files.isRegularFile(saved)) {
        model.prepareHook(WeightsFile.load(model.block(), model.manager(), saved).extra(), saved);
        trainAccuracy = earlier == null ? null : earlier.trainAccuracy();
        listener.info("model '" + entry.name() + "': reusing weights trained earlier in this run: " + saved);
      } else {
        model.prepareHook(null, null);
        long t = System.nanoTime();
        trainAccuracy = train(suite, entry, model, saved);
        aside += System.nanoTime() - t;
      }
      source = "trained in run: " + outDir.relativize(saved);
    }
    model.freeze(true);
    QuantizationSummary q = Invoke.quantize(entry.quantizer(), model.quantizableLayers());
    if (entry.recalibrateBn() > 0) {
      long t = System.nanoTime();
      int images = BatchNormRecalibration.run(model,
          Invoke.open(suite.dataset().provider(), Split.TRAIN), entry.recalibrateBn(), suite.batchSize());
      listener.info("model '" + entry.name() + "': BatchNorm statistics re-estimated on " + images + " training images");
      source = source + "; BatchNorm re-estimated on " + images + " training images";
      aside += System.nanoTime() - t;
    }
    long loadNanos = System.nanoTime() - start - aside;
    model.cacheKernels(true); // weights are final from here: quantized kernels are computed once
    return new Prepared(new ModelResult(entry.name(), entry.model().id(), entry.model().params(),
        entry.quantizer().id(), entry.quantizer().params(), source, model.parameterCount(), q, trainAccuracy,
        cost(entry, model, q)), loadNanos);
  }

  /** The model's cost; a model whose layers cannot be measured is still evaluated, without one. */
  private ModelCost cost(ModelEntry entry, LoadedModel model, QuantizationSummary q) {
    try {
      return ModelCosts.of(model, q);
    } catch (RuntimeException e) {
      listener.info("model '" + entry.name() + "': cost not measured: " + describe(e));
      return null;
    }
  }

  /** Trains a suite model on the train split (cosine schedule, no augmentation) and saves it. */
  private double train(Suite suite, ModelEntry entry, LoadedModel model, Path saved) {
    InRunTraining spec = entry.train();
    long seed = ImageSeeds.derive(suite.seed(), "train:" + entry.name());
    ImageDataset data = LimitedDataset.of(Invoke.open(suite.dataset().provider(), Split.TRAIN), spec.limit());
    TrainingLoopSettings plan = new TrainingLoopSettings(spec.epochs(), spec.batchSize(),
        new OptimizerSpec(spec.learningRate(), spec.momentum(), false, spec.weightDecay(), null),
        ScheduleSpec.cosine(), AugmentSpec.none(), seed);
    long steps = (long) spec.epochs() * ((data.size() + spec.batchSize() - 1) / spec.batchSize());
    listener.trainingStarted(entry.name(), spec.epochs(), steps);
    List<EpochLog> log = new TrainingLoop(model, data, null, plan, new TrainingListener() {
      @Override
      public void stepFinished(double loss, double top1, double imagesPerSecond) {
        listener.trainingProgress(1, loss);
      }
    }).run(0, null, List.of(), (done, l, h, state) -> {});
    double accuracy = log.get(log.size() - 1).trainTop1();
    listener.trainingFinished(entry.name(), accuracy);
    try {
      // the weights and their metadata beside them: both or neither
      AtomicFiles.writeTogether(saved.getParent(), d -> WeightsFile.save(model.block(), model.hook().parameters(),
          WeightsMetadata.trained(entry.model(), entry.quantizer(), suite.dataset().provider().id(), model.input(), null, null,
              spec.epochs(), seed, "trained in suite '" + suite.name() + "'"), d.resolve(saved.getFileName())));
    } catch (IOException e) {
      throw new QrbenchException("cannot save the trained weights " + saved + ": " + IoErrors.describe(e, saved), e);
    }
    return accuracy;
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private void writeReports(Suite suite, RunResult result, Path outDir) {
    Reports.write(suite.reports(), result, outDir, listener::info);
  }

  /** Builds a suite model, its layers hooked to the quantizer's training transform if it has one. */
  private static ai.djl.nn.Block build(ModelEntry entry, ModelInput input, Layers layers,
      ai.djl.ndarray.NDManager manager) {
    ModelProvider<?> provider = entry.model().plugin(ModelProvider.class);
    Optional<Path> weights = provider.readsOwnWeights() ? Optional.ofNullable(entry.weights()) : Optional.empty();
    return Invoke.build(entry.model(), new ModelContext(input, layers, manager, weights));
  }

  private static EnvironmentInfo environment() {
    try {
      return EnvironmentProbe.capture();
    } catch (EngineException | IllegalArgumentException e) {
      throw new QrbenchException("no usable DJL engine: " + e.getMessage()
          + "; run qrbench through bin/qrbench, which puts the PyTorch engine on the class path", e);
    }
  }

  /** What went wrong in words: the message, or for an exception without one (a bug), what it was. */
  static String describe(Throwable e) {
    String msg = e.getMessage();
    if (msg != null && !msg.isBlank()) {
      return msg.strip();
    }
    return "an unexpected " + e.getClass().getSimpleName() + " in qrbench (a bug: please report it with the run's log)";
  }
}
