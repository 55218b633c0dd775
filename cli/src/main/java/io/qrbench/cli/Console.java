package io.qrbench.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Lines on standard output and, on an interactive terminal, one progress bar at a time below them
 * (none when output goes to a file or a CI log, where bars only add noise).
 */
abstract class Console implements AutoCloseable {
  private static final int DEFAULT_WIDTH = 100;
  private static int width; // the terminal's, asked once per process

  protected final PrintWriter out;

  /** Whether a person watches: bars on standard error then, plain log lines otherwise. */
  protected final boolean interactive;

  private ProgressBar bar;

  Console(PrintWriter out) {
    this(out, System.console() != null);
  }

  Console(PrintWriter out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
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
    if (!interactive) {
      return;
    }
    bar =
        new ProgressBarBuilder()
            // the library's own consumer asks the terminal its width at every redraw, which JLine
            // answers by running 'stty' (twice a second); a fixed width asks nothing. Standard
            // output, a terminal here: bin/qrbench filters standard error line by line, which
            // would hold a bar's carriage-return updates back until its end
            .setConsumer(new ConsoleProgressBarConsumer(System.out, terminalWidth() - 1))
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

  /**
   * The terminal's width in columns: {@code $COLUMNS}, else what {@code stty size} says of the
   * controlling terminal, asked once per process; 100 when neither answers.
   */
  static synchronized int terminalWidth() {
    if (width > 0) {
      return width;
    }
    width = DEFAULT_WIDTH;
    try {
      String columns = System.getenv("COLUMNS");
      if (columns != null && columns.matches("\\d{2,4}")) {
        width = Integer.parseInt(columns);
        return width;
      }
      File tty = new File("/dev/tty");
      if (tty.exists()) {
        Process p =
            new ProcessBuilder("stty", "size")
                .redirectInput(tty)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (p.waitFor(2, TimeUnit.SECONDS) && said.trim().matches("\\d+ \\d{2,4}")) {
          width = Integer.parseInt(said.trim().split(" ")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no terminal to ask: the default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return width;
  }
}
