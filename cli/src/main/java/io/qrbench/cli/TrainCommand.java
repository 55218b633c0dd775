package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.runner.TrainingRun;
import io.qrbench.suite.TrainingSpec;
import io.qrbench.suite.TrainingSpecLoader;
import io.qrbench.train.EpochLog;
import io.qrbench.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Trains a model from a training spec. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Trains a model from a YAML training spec, checkpointing every epoch; writes <name>.params "
            + "with its metadata, log.csv and the checkpoint into the output folder.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "the training spec YAML file")
  Path specFile;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (default: runs/train/<name>)")
  Path out;

  @Option(names = "--resume", description = "continue from the output folder's checkpoint")
  boolean resume;

  @Option(
      names = "--overwrite",
      description = "start again even if the output folder holds a checkpoint")
  boolean overwrite;

  @Option(names = "--epochs", paramLabel = "N", description = "override the spec's epochs")
  Integer epochs;

  @Option(
      names = "--init",
      paramLabel = "FILE",
      description = "start from these weights (overrides the spec's init)")
  Path init;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (resume && overwrite) {
      throw new ConfigException("--resume and --overwrite contradict each other; pass one");
    }
    if (epochs != null && epochs < 1) {
      throw new ConfigException("--epochs must be at least 1, was " + epochs);
    }
    TrainingSpec ts = new TrainingSpecLoader(PluginRegistry.discover()).load(specFile);
    if (epochs != null) {
      ts = ts.withEpochs(epochs);
    }
    if (init != null) {
      if (!java.nio.file.Files.isRegularFile(init)) {
        throw new ConfigException("--init: weights file not found: " + init.toAbsolutePath());
      }
      ts = ts.withInit(init);
    }
    Path outDir =
        out != null ? out : Path.of("runs", "train", ts.name().replaceAll("[^A-Za-z0-9._-]", "_"));
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "qrbench: training '%s' (%s, %d epochs) -> %s%n",
        ts.name(), ts.model().id(), ts.epochs(), outDir);
    console.flush();
    TrainingRun.Result r;
    try (Progress progress = new Progress(console)) {
      r = new TrainingRun(progress).run(ts, new TrainingRun.Options(outDir, resume, overwrite));
    }
    EpochLog last = r.log().get(r.log().size() - 1);
    console.printf(
        "done: test top-1 %.2f%%, top-5 %.2f%% after %d epochs; weights in %s%n",
        last.testTop1(), last.testTop5(), r.log().size(), r.weights());
    console.flush();
    return Main.OK;
  }

  /**
   * A bar per epoch with loss, accuracy and images/s on a terminal, and a line per epoch always.
   */
  private static final class Progress extends Console implements TrainingListener {
    Progress(PrintWriter out) {
      super(out);
    }

    @Override
    public void info(String message) {
      super.info(message);
    }

    @Override
    public void epochStarted(int epoch, int epochs, long steps) {
      startBar("epoch " + epoch + "/" + epochs, steps, " steps");
    }

    @Override
    public void stepFinished(double loss, double top1, double imagesPerSecond) {
      advance(1, String.format(" loss %.3f  acc %.1f%%  %.0f img/s", loss, top1, imagesPerSecond));
    }

    @Override
    public void epochFinished(EpochLog e) {
      line(
          String.format(
              "  epoch %3d  loss %.4f  train %6.2f%%  test %6.2f%% / %6.2f%%  lr %.5f  %6.0f img/s  %6.1f s",
              e.epoch(),
              e.trainLoss(),
              e.trainTop1(),
              e.testTop1() == null ? Double.NaN : e.testTop1(),
              e.testTop5() == null ? Double.NaN : e.testTop5(),
              e.learningRate(),
              e.imagesPerSecond(),
              e.seconds()));
    }
  }
}
