package io.qrbench.runner;

import ai.djl.engine.Engine;
import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.eval.ImageSeeds;
import io.qrbench.export.OnnxExport;
import io.qrbench.io.AtomicFiles;
import io.qrbench.io.IoErrors;
import io.qrbench.model.Invoke;
import io.qrbench.model.LimitedDataset;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.Layers;
import io.qrbench.result.ModelCost;
import io.qrbench.result.ModelResult;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;
import io.qrbench.spi.Split;
import io.qrbench.suite.AugmentSpec;
import io.qrbench.suite.Deployment;
import io.qrbench.suite.InRunTraining;
import io.qrbench.suite.OptimizerSpec;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.ScheduleSpec;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.train.EpochLog;
import io.qrbench.train.TrainingListener;
import io.qrbench.train.TrainingLoop;
import io.qrbench.train.TrainingLoopSettings;
import io.qrbench.weights.MetadataCheck;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares a model: builds it (its layers hooked to the quantizer's training transform), loads its
 * weights or trains it, quantizes it and re-estimates BatchNorm's statistics. The runner prepares
 * each suite model through an instance; {@code qrbench train} ({@link TrainingRun}) and {@code
 * qrbench quantize} ({@link PostTrainingQuantization}) build, load, quantize and save through the
 * same static steps, so that a model is made one way whichever command makes it.
 */
final class ModelPreparation {
  private final Suite suite;
  private final Path outDir;
  private final RunListener listener;

  ModelPreparation(Suite suite, Path outDir, RunListener listener) {
    this.suite = suite;
    this.outDir = outDir;
    this.listener = listener;
  }

  // ---- the steps every command shares

  /**
   * Each model's multiply-accumulates per image, counted on the model built without weights, for
   * balancing shards; a model whose MACs cannot be counted this way (deployed, reading its own
   * weights, imported) is left out. The engine's seed is set again before each model is built for
   * evaluation, so building here changes no result.
   */
  static Map<String, Double> macs(Suite suite, ModelInput input) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (ModelEntry entry : suite.models()) {
      if (entry.deploy() != null || entry.model().plugin(ModelProvider.class).readsOwnWeights()) {
        continue;
      }
      try (LoadedModel m =
          build(entry.name(), entry.model(), entry.quantizer(), input, Optional.empty())) {
        long total = m.macsPerImage().values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
          out.put(entry.name(), (double) total);
        }
      } catch (RuntimeException e) {
        // unknown: the plan counts it as the mean of the others
      }
    }
    return out;
  }

  /**
   * Builds {@code model} without weights, its layers hooked to {@code quantizer}'s training
   * transform if it has one. The caller seeds the engine first: the initial weights are drawn here.
   *
   * @param ownWeights the weights file of a model that reads its own (an imported one), else empty
   */
  static LoadedModel build(
      String name,
      PluginConfig model,
      PluginConfig quantizer,
      ModelInput input,
      Optional<Path> ownWeights) {
    Layers layers = Invoke.trainingHook(quantizer).map(Layers::withHook).orElseGet(Layers::plain);
    return new LoadedModel(
        name,
        input,
        layers,
        manager ->
            Invoke.build(
                model,
                new ModelContext(
                    input, layers, manager, ownWeights, EnvironmentProbe.engineThreads())));
  }

  /**
   * Loads a qrbench weights file into {@code model}, after checking that its metadata fits {@code
   * modelConfig} and the model's input. A quantizer's trained state (TTQ's scales) is restored only
   * for the quantizer that trained it.
   *
   * @return the file's metadata
   */
  static WeightsMetadata loadWeights(
      LoadedModel model, PluginConfig modelConfig, PluginConfig quantizer, Path weights) {
    WeightsMetadata meta = WeightsFile.readMetadata(weights);
    MetadataCheck.check(weights, meta, modelConfig, model.input());
    WeightsFile.Loaded loaded = WeightsFile.load(model.block(), model.manager(), weights);
    model.prepareHook(meta.quantizer().equals(quantizer.id()) ? loaded.extra() : null, weights);
    return meta;
  }

  /** Freezes {@code model}'s weights and quantizes them for evaluation. */
  static QuantizationSummary quantize(LoadedModel model, PluginConfig quantizer) {
    model.freeze(true);
    return Invoke.quantize(quantizer, model.quantizableLayers());
  }

  /**
   * Saves trained weights and their metadata beside them together: both are replaced, or neither.
   */
  static WeightsMetadata save(LoadedModel model, WeightsMetadata meta, Path weights)
      throws IOException {
    return AtomicFiles.writeTogether(
        weights.getParent(),
        d ->
            WeightsFile.save(
                model.block(), model.hook().parameters(), meta, d.resolve(weights.getFileName())));
  }

  /** Refuses to train a model that is imported ready-trained. */
  static void checkTrainable(PluginConfig model) {
    if (model.plugin(ModelProvider.class).readsOwnWeights()) {
      throw new ConfigException(
          "model '" + model.id() + "' is imported ready-trained and cannot be trained by qrbench");
    }
  }

  // ---- a suite model in a run

  /** Builds a suite model (seeding its initial weights per model) without loading weights. */
  LoadedModel load(ModelEntry entry, ModelInput input) {
    Engine.getInstance()
        .setRandomSeed((int) ImageSeeds.derive(suite.seed(), "init:" + entry.name()));
    ModelProvider<?> provider = entry.model().plugin(ModelProvider.class);
    Optional<Path> weights =
        entry.deploy() != null
            ? Optional.of(deployment(entry, input))
            : provider.readsOwnWeights() ? Optional.ofNullable(entry.weights()) : Optional.empty();
    return build(entry.name(), entry.model(), entry.quantizer(), input, weights);
  }

  /** Where a deployment's ONNX file goes: the run's {@code deployments/} folder. */
  Path deploymentFile(ModelEntry entry) {
    return outDir.resolve("deployments").resolve(safe(entry.name()) + ".onnx");
  }

  /**
   * Exports a deployment's source model, prepared as the suite prepares it, to its ONNX file. It is
   * exported in every run, resumed ones too: the source's weights may have changed, and an export
   * takes seconds.
   */
  private Path deployment(ModelEntry entry, ModelInput input) {
    Deployment d = entry.deploy();
    ModelEntry from =
        suite.models().stream().filter(m -> m.name().equals(d.from())).findFirst().orElseThrow();
    Path file = deploymentFile(entry);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new QrbenchException(
          "cannot create " + file.getParent() + ": " + IoErrors.describe(e, file.getParent()), e);
    }
    OnnxExport.Precision precision =
        d.precision().equals("fp32") ? OnnxExport.Precision.FP32 : OnnxExport.Precision.INT8;
    try (LoadedModel source = load(from, input)) {
      prepare(from, source, null);
      OnnxExport.Result r =
          OnnxExport.export(
              source,
              from.quantizer().id(),
              "suite model '" + from.name() + "'",
              new OnnxExport.Options(precision, d.calibration(), suite.batchSize()),
              Invoke.open(suite.dataset().provider(), Split.TRAIN),
              file);
      listener.info(
          "model '"
              + entry.name()
              + "': '"
              + from.name()
              + "' exported as an ONNX "
              + precision.label()
              + " graph ("
              + r.nodes()
              + " nodes, "
              + r.bytes()
              + " bytes"
              + (precision == OnnxExport.Precision.INT8
                  ? ", activations calibrated on " + r.calibrationImages() + " training images"
                  : "")
              + ") to "
              + file);
    }
    return file;
  }

  /** {@link #prepared}, its failure said as the source's. */
  LoadedModel source(String name, ModelInput input, RunJournal journal) {
    try {
      return prepared(name, input, journal);
    } catch (RuntimeException e) {
      throw new QrbenchException(
          "source model '" + name + "' could not be prepared: " + Runner.describe(e), e);
    }
  }

  /**
   * The source model of a transfer attack, ready to craft on (its own results are recorded in its
   * turn).
   */
  private LoadedModel prepared(String name, ModelInput input, RunJournal journal) {
    ModelEntry entry =
        suite.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    LoadedModel m = load(entry, input);
    try {
      prepare(entry, m, journal.model(name));
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A prepared model's record, and the nanoseconds its weights took to load and quantize (training
   * and BatchNorm re-estimation left out: they are not part of loading a model).
   */
  record Prepared(ModelResult result, long loadNanos) {}

  /**
   * Loads or trains the weights, then quantizes. {@code earlier} is what an interrupted attempt of
   * this run recorded about the model, or null.
   */
  Prepared prepare(ModelEntry entry, LoadedModel model, ModelResult earlier) {
    long start = System.nanoTime();
    long aside = 0;
    String source;
    Double trainAccuracy = null;
    if (entry.deploy() != null) {
      model.prepareHook(null, null);
      source =
          "'"
              + entry.deploy().from()
              + "' exported as ONNX "
              + entry.deploy().precision()
              + ": "
              + outDir.relativize(deploymentFile(entry));
    } else if (entry.model().plugin(ModelProvider.class).readsOwnWeights()) {
      model.prepareHook(null, null);
      source = entry.weights().toString();
    } else if (entry.weights() != null) {
      loadWeights(model, entry.model(), entry.quantizer(), entry.weights());
      source = entry.weights().toString();
    } else {
      Path saved = outDir.resolve("models").resolve(safe(entry.name()) + ".params");
      if (Files.isRegularFile(saved)) {
        model.prepareHook(WeightsFile.load(model.block(), model.manager(), saved).extra(), saved);
        trainAccuracy = earlier == null ? null : earlier.trainAccuracy();
        listener.info(
            "model '" + entry.name() + "': reusing weights trained earlier in this run: " + saved);
      } else {
        model.prepareHook(null, null);
        long t = System.nanoTime();
        trainAccuracy = train(entry, model, saved);
        aside += System.nanoTime() - t;
      }
      source = "trained in run: " + outDir.relativize(saved);
    }
    QuantizationSummary q = quantize(model, entry.quantizer());
    if (entry.recalibrateBn() > 0) {
      long t = System.nanoTime();
      int images =
          BatchNormRecalibration.run(
              model,
              Invoke.open(suite.dataset().provider(), Split.TRAIN),
              entry.recalibrateBn(),
              suite.batchSize());
      listener.info(
          "model '"
              + entry.name()
              + "': BatchNorm statistics re-estimated on "
              + images
              + " training images");
      source = source + "; BatchNorm re-estimated on " + images + " training images";
      aside += System.nanoTime() - t;
    }
    long loadNanos = System.nanoTime() - start - aside;
    model.cacheKernels(true); // weights are final from here: quantized kernels are computed once
    if (entry.foldBatchNorm()) {
      double worst = foldBatchNorm(model);
      listener.info(
          String.format(
              java.util.Locale.ROOT,
              "model '%s': BatchNorm folded into the layers before it (logits within %.1e of the"
                  + " model's on a random batch)",
              entry.name(),
              worst));
      source = source + "; BatchNorm folded";
    }
    return new Prepared(
        new ModelResult(
            entry.name(),
            entry.model().id(),
            entry.model().params(),
            entry.quantizer().id(),
            entry.quantizer().params(),
            source,
            model.parameterCount(),
            q,
            trainAccuracy,
            cost(entry, model, q),
            model.backend(),
            entry.deploy() == null ? null : entry.deploy().from()),
        loadNanos);
  }

  /**
   * Makes every forward pass of {@code model} run with its BatchNorm layers folded, checked on a
   * batch of 8 uniform random images (seed 1); the largest logit difference found.
   */
  static double foldBatchNorm(LoadedModel model) {
    io.qrbench.spi.ModelInput in = model.input();
    ai.djl.ndarray.types.Shape shape =
        new ai.djl.ndarray.types.Shape(8, in.channels(), in.height(), in.width());
    float[] pixels = new float[Math.toIntExact(shape.size())];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextDouble();
    }
    try (ai.djl.ndarray.NDManager probe = model.manager().newSubManager()) {
      io.qrbench.export.FoldedForward f =
          io.qrbench.export.FoldedForward.of(model, probe.create(pixels, shape));
      model.computeForwardWith(f);
      return f.checkedDifference();
    }
  }

  /** The model's cost; a model whose layers cannot be measured is still evaluated, without one. */
  private ModelCost cost(ModelEntry entry, LoadedModel model, QuantizationSummary q) {
    if (model.block() instanceof io.qrbench.spi.DeployedBlock d) {
      // a deployed file: its size is what deployment stores; its parameters qrbench cannot see
      Path file = entry.deploy() != null ? deploymentFile(entry) : entry.weights();
      long bytes;
      try {
        bytes = file == null ? -1 : Files.size(file);
      } catch (IOException e) {
        bytes = -1;
      }
      return new ModelCost(0, bytes, bytes, 0, d.macsPerImage().orElse(-1), 0);
    }
    try {
      return ModelCosts.of(model, q);
    } catch (RuntimeException e) {
      listener.info("model '" + entry.name() + "': cost not measured: " + Runner.describe(e));
      return null;
    }
  }

  /** Trains a suite model on the train split (cosine schedule, no augmentation) and saves it. */
  private double train(ModelEntry entry, LoadedModel model, Path saved) {
    InRunTraining spec = entry.train();
    long seed = ImageSeeds.derive(suite.seed(), "train:" + entry.name());
    ImageDataset data =
        LimitedDataset.of(Invoke.open(suite.dataset().provider(), Split.TRAIN), spec.limit());
    TrainingLoopSettings plan =
        new TrainingLoopSettings(
            spec.epochs(),
            spec.batchSize(),
            new OptimizerSpec(
                spec.learningRate(), spec.momentum(), false, spec.weightDecay(), null),
            ScheduleSpec.cosine(),
            AugmentSpec.none(),
            seed);
    long steps = (long) spec.epochs() * ((data.size() + spec.batchSize() - 1) / spec.batchSize());
    listener.trainingStarted(entry.name(), spec.epochs(), steps);
    List<EpochLog> log =
        new TrainingLoop(
                model,
                data,
                null,
                plan,
                new TrainingListener() {
                  @Override
                  public void stepFinished(double loss, double top1, double imagesPerSecond) {
                    listener.trainingProgress(1, loss);
                  }
                })
            .run(0, null, List.of(), (done, l, h, state) -> {});
    double accuracy = log.get(log.size() - 1).trainTop1();
    listener.trainingFinished(entry.name(), accuracy);
    try {
      // the weights and their metadata beside them: both or neither
      save(
          model,
          WeightsMetadata.trained(
              entry.model(),
              entry.quantizer(),
              suite.dataset().provider().id(),
              model.input(),
              null,
              null,
              spec.epochs(),
              seed,
              "trained in suite '" + suite.name() + "'"),
          saved);
    } catch (IOException e) {
      throw new QrbenchException(
          "cannot save the trained weights " + saved + ": " + IoErrors.describe(e, saved), e);
    }
    return accuracy;
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
