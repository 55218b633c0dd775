package io.qrbench.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Lines on standard output and, on an interactive terminal, one progress bar at a time on standard
 * error (none when output goes to a file or a CI log, where bars only add noise).
 */
abstract class Console implements AutoCloseable {
  protected final PrintWriter out;
  private ProgressBar bar;

  Console(PrintWriter out) {
    this.out = out;
  }

  /** Prints an indented line, ending any bar first. */
  public void info(String message) {
    line("  " + message);
  }

  /** Prints a line, ending any bar first. */
  protected void line(String text) {
    closeBar();
    out.println(text);
    out.flush();
  }

  /** Starts a bar (with rate and ETA), ending any previous one. */
  protected void startBar(String task, long max, String unit) {
    closeBar();
    if (System.console() == null) {
      return;
    }
    bar =
        new ProgressBarBuilder()
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

  /** Advances the bar, if one is shown. */
  protected void advance(long steps, String message) {
    if (bar != null) {
      bar.stepBy(steps);
      if (message != null) {
        bar.setExtraMessage(message);
      }
    }
  }

  protected void closeBar() {
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
