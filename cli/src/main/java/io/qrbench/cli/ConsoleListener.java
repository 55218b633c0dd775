package io.qrbench.cli;

import io.qrbench.result.CaseResult;
import io.qrbench.runner.RunListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run on the console: a progress bar per case (images/s and ETA) and per training, drawn
 * on standard error, and one line per finished case on standard output.
 */
final class ConsoleListener implements RunListener, AutoCloseable {
  private final PrintWriter out;
  private ProgressBar bar;
  private double lastLoss;

  ConsoleListener(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void info(String message) {
    closeBar();
    out.println("  " + message);
    out.flush();
  }

  @Override
  public void trainingStarted(String model, int epochs, long steps) {
    closeBar();
    bar = bar("train " + model + " (" + epochs + " epochs)", steps, " steps");
  }

  @Override
  public void trainingProgress(long steps, double loss) {
    lastLoss = loss;
    if (bar != null) {
      bar.stepBy(steps);
      bar.setExtraMessage(String.format("loss %.3f", loss));
    }
  }

  @Override
  public void trainingFinished(String model, double accuracy) {
    closeBar();
    out.printf("  trained %s: last-epoch train top-1 %.2f%%, last loss %.4f%n", model, accuracy, lastLoss);
    out.flush();
  }

  @Override
  public void caseStarted(String caseId, int images) {
    closeBar();
    bar = bar(caseId, images, " img");
  }

  @Override
  public void imagesDone(int images) {
    if (bar != null) {
      bar.stepBy(images);
    }
  }

  @Override
  public void caseFinished(CaseResult r) {
    closeBar();
    if (r.ok()) {
      out.printf("  %-40s top-1 %6.2f%%  top-5 %6.2f%%  mean|d| %.4f  %7.0f img/s%n", r.id(),
          r.metrics().top1(), r.metrics().top5(), r.metrics().meanAbs(), r.metrics().imagesPerSecond());
    } else {
      out.printf("  %-40s FAILED: %s%n", r.id(), r.error());
    }
    out.flush();
  }

  /** A bar on an interactive terminal; none when output goes to a file or a CI log. */
  static ProgressBar bar(String task, long max, String unit) {
    if (System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setUnit(unit, 1)
        .showSpeed()
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .continuousUpdate()
        .clearDisplayOnFinish()
        .build();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
  }
}
