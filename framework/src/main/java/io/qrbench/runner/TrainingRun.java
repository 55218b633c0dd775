package io.qrbench.runner;

import ai.djl.engine.Engine;
import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.io.AtomicFiles;
import io.qrbench.io.IoErrors;
import io.qrbench.model.Invoke;
import io.qrbench.model.LimitedDataset;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import io.qrbench.suite.TrainingSpec;
import io.qrbench.train.Checkpoint;
import io.qrbench.train.EpochLog;
import io.qrbench.train.TrainingListener;
import io.qrbench.train.TrainingLoop;
import io.qrbench.train.TrainingLoopSettings;
import io.qrbench.util.FolderLock;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code qrbench train}: trains a model from a spec, checkpointing after every epoch, and saves the
 * final weights with their metadata. Output folder: {@code checkpoint.qrbc}, {@code log.csv},
 * {@code spec.yaml}, and {@code <name>.params} with {@code <name>.params.json}.
 */
public final class TrainingRun {
  /** The checkpoint file in a training's output folder. */
  public static final String CHECKPOINT = "checkpoint.qrbc";

  private final TrainingListener listener;

  public TrainingRun(TrainingListener listener) {
    this.listener = listener;
  }

  /**
   * Where to write and whether to continue.
   *
   * @param outDir the output folder
   * @param resume continue from the folder's checkpoint
   * @param overwrite start again even though the folder holds a checkpoint
   */
  public record Options(Path outDir, boolean resume, boolean overwrite) {}

  /**
   * What a training produced.
   *
   * @param weights the final weights file
   * @param metadata its metadata
   * @param log one entry per epoch
   */
  public record Result(Path weights, WeightsMetadata metadata, List<EpochLog> log) {}

  /**
   * Trains, holding a lock on the output folder throughout.
   *
   * @throws ConfigException for a checkpoint that is not to be resumed or does not fit, or when
   *     another process holds the output folder
   * @throws QrbenchException when a file cannot be saved (a full disk), saying what was kept
   */
  public Result run(TrainingSpec spec, Options options) {
    // the data first: a dataset that cannot be opened is bad input, and leaves no output folder
    // behind
    ImageDataset trainFull = Invoke.open(spec.dataset(), Split.TRAIN);
    ImageDataset testFull = Invoke.open(spec.dataset(), Split.TEST);
    try (FolderLock lock =
        FolderLock.acquire(options.outDir(), "qrbench train " + spec.file(), listener::info)) {
      try {
        List<Path> removed = AtomicFiles.removeStaleTemporaries(options.outDir());
        if (!removed.isEmpty()) {
          listener.info(
              "removed "
                  + removed.size()
                  + " temporary file(s) left by an interrupted write in "
                  + options.outDir());
        }
      } catch (IOException e) {
        listener.info(
            "could not remove the temporary files left in "
                + options.outDir()
                + ": "
                + IoErrors.describe(e, options.outDir()));
      }
      return train(spec, options, trainFull, testFull);
    }
  }

  private Result train(
      TrainingSpec spec, Options options, ImageDataset trainFull, ImageDataset testFull) {
    Path ckpt = options.outDir().resolve(CHECKPOINT);
    boolean resuming = options.resume() && Files.isRegularFile(ckpt);
    if (Files.exists(ckpt) && !options.resume() && !options.overwrite()) {
      throw new ConfigException(
          ckpt
              + " exists: a training was started there; pass --resume to continue it, "
              + "--overwrite to start again, or --out to train elsewhere");
    }
    if (options.resume() && !resuming) {
      listener.info("nothing to resume in " + options.outDir() + "; starting from the beginning");
    }
    ImageDataset train = LimitedDataset.of(trainFull, spec.limit());
    ImageDataset test = LimitedDataset.of(testFull, spec.testLimit());
    ModelInput input =
        new ModelInput(train.channels(), train.height(), train.width(), train.classNames().size());
    ModelPreparation.checkTrainable(spec.model());
    Engine.getInstance().setRandomSeed((int) (spec.seed() ^ (spec.seed() >>> 32)));
    try (LoadedModel model =
        ModelPreparation.build(
            spec.name(), spec.model(), spec.quantizer(), input, Optional.empty())) {
      int start = 0;
      List<EpochLog> log = List.of();
      ai.djl.ndarray.NDList state = null;
      if (resuming) {
        Checkpoint.Restored r = Checkpoint.load(ckpt, model.block(), model.manager());
        if (!r.checkpoint().fingerprint().equals(spec.fingerprint())) {
          throw new ConfigException(
              ckpt
                  + " was written by a different spec or epoch count; resume with the same "
                  + "spec and options, or pass --overwrite to start again");
        }
        start = r.checkpoint().epochsDone();
        log = r.checkpoint().log();
        state = r.optimizerState();
        model.prepareHook(r.hookState(), ckpt);
        listener.info("resuming after epoch " + start + " of " + spec.epochs() + " from " + ckpt);
      } else if (spec.init() != null) {
        // quantizer state carries over only from the same quantizer (fine-tuning FP -> TTQ starts
        // fresh)
        ModelPreparation.loadWeights(model, spec.model(), spec.quantizer(), spec.init());
        listener.info("starting from " + spec.init());
      } else {
        model.prepareHook(null, null);
      }
      Path specCopy = options.outDir().resolve("spec.yaml");
      try {
        writeText(specCopy, spec.source());
      } catch (IOException e) {
        throw new QrbenchException(
            "cannot save the spec: "
                + IoErrors.describe(e, specCopy)
                + "; "
                + IoErrors.fix(e)
                + "train again",
            e);
      }
      log =
          new TrainingLoop(model, train, test, plan(spec), listener)
              .run(
                  start,
                  state,
                  log,
                  (done, l, h, s) -> {
                    String kept =
                        done > 1 ? ckpt + " keeps epoch " + (done - 1) : "no epoch is saved yet";
                    try {
                      new Checkpoint(spec.fingerprint(), done, l).save(model.block(), h, s, ckpt);
                    } catch (IOException e) {
                      throw new QrbenchException(
                          "cannot save the checkpoint after epoch "
                              + done
                              + ": "
                              + IoErrors.describe(e, ckpt)
                              + "; "
                              + kept
                              + "; "
                              + IoErrors.fix(e)
                              + "continue with --resume",
                          e);
                    }
                    Path logCsv = options.outDir().resolve("log.csv");
                    try {
                      writeText(
                          logCsv,
                          EpochLog.CSV_HEADER
                              + "\n"
                              + l.stream().map(EpochLog::csv).collect(Collectors.joining("\n"))
                              + "\n");
                    } catch (IOException e) {
                      throw new QrbenchException(
                          "cannot save the log after epoch "
                              + done
                              + ": "
                              + IoErrors.describe(e, logCsv)
                              + "; "
                              + ckpt
                              + " keeps epoch "
                              + done
                              + "; "
                              + IoErrors.fix(e)
                              + "continue with --resume",
                          e);
                    }
                  });
      EpochLog last = log.get(log.size() - 1);
      Path weights = options.outDir().resolve(spec.name() + ".params");
      WeightsMetadata meta = saveWeights(spec, model, input, last, weights, ckpt);
      listener.info("wrote " + weights);
      return new Result(weights, meta, log);
    }
  }

  /** Saves the weights and their metadata beside them together: both are replaced, or neither. */
  private static WeightsMetadata saveWeights(
      TrainingSpec spec,
      LoadedModel model,
      ModelInput input,
      EpochLog last,
      Path weights,
      Path ckpt) {
    WeightsMetadata meta =
        WeightsMetadata.trained(
            spec.model(),
            spec.quantizer(),
            spec.dataset().id(),
            input,
            last.testTop1(),
            last.testTop5(),
            spec.epochs(),
            spec.seed(),
            "trained by 'qrbench train " + spec.file() + "'");
    try {
      return ModelPreparation.save(model, meta, weights);
    } catch (IOException e) {
      throw new QrbenchException(
          "cannot save the trained weights: "
              + IoErrors.describe(e, weights)
              + "; neither "
              + weights.getFileName()
              + " nor "
              + WeightsFile.sidecar(weights).getFileName()
              + " was written"
              + (Files.exists(weights) ? " (the earlier ones are kept)" : "")
              + ", "
              + ckpt
              + " keeps the last epoch; "
              + IoErrors.fix(e)
              + "run again with --resume to save them",
          e);
    }
  }

  /** The loop's numbers. */
  static TrainingLoopSettings plan(TrainingSpec spec) {
    return new TrainingLoopSettings(
        spec.epochs(),
        spec.batchSize(),
        spec.optimizer(),
        spec.schedule(),
        spec.augment(),
        spec.seed());
  }

  private static void writeText(Path file, String text) throws IOException {
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
