package io.qrbench.cli;

import io.qrbench.result.CaseResult;
import io.qrbench.runner.RunListener;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run on the console: a progress bar per case (images/s and ETA) and per training, the
 * whole run's progress (case k of n, share of the work, ETA) beside it, and one line per finished
 * case. Without a terminal (a file, a CI log) there are no bars: a plain progress line every 30
 * seconds says the run is alive and how far it is, so that a long attack is not minutes of silence.
 */
final class ConsoleListener extends Console implements RunListener {
  static final long LOG_EVERY_SECONDS = 30;

  private final long logEveryMillis;
  private double lastLoss;
  private volatile RunProgress progress;
  private ScheduledExecutorService heartbeat;

  ConsoleListener(PrintWriter out) {
    this(out, System.console() != null, LOG_EVERY_SECONDS * 1000);
  }

  /**
   * @param interactive bars on a terminal, or timed progress lines
   * @param logEveryMillis how often a progress line is printed when not interactive
   */
  ConsoleListener(PrintWriter out, boolean interactive, long logEveryMillis) {
    super(out, interactive);
    this.logEveryMillis = logEveryMillis;
  }

  @Override
  public void runPlanned(List<PlannedCase> pending, int finished) {
    progress = new RunProgress(pending, finished, System::nanoTime);
    if (!interactive && heartbeat == null && !pending.isEmpty()) {
      heartbeat =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "qrbench-progress");
                t.setDaemon(true);
                return t;
              });
      heartbeat.scheduleAtFixedRate(
          this::logProgress, logEveryMillis, logEveryMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void logProgress() {
    RunProgress p = progress;
    if (p != null) {
      synchronized (out) {
        out.println("progress: " + p.summary());
        out.flush();
      }
    }
  }

  @Override
  public void close() {
    if (heartbeat != null) {
      heartbeat.shutdownNow();
      heartbeat = null;
    }
    super.close();
  }

  @Override
  public void info(String message) {
    super.info(message);
  }

  @Override
  public void trainingStarted(String model, int epochs, long steps) {
    startBar("train " + model + " (" + epochs + " epochs)", steps, " steps");
  }

  @Override
  public void trainingProgress(long steps, double loss) {
    lastLoss = loss;
    advance(steps, String.format("loss %.3f", loss));
  }

  @Override
  public void trainingFinished(String model, double accuracy) {
    info(
        String.format(
            "trained %s: last-epoch train top-1 %.2f%%, last loss %.4f",
            model, accuracy, lastLoss));
  }

  @Override
  public void modelReady(io.qrbench.result.ModelResult m) {
    io.qrbench.result.QuantizationSummary q = m.quantization();
    if (m.backend() != null && !m.backend().startsWith("pytorch")) {
      io.qrbench.result.ModelCost c = m.cost();
      info(
          String.format(
              "%s: %s%s, file %s%s",
              m.name(),
              m.backend(),
              m.deployedFrom() == null ? "" : ", deployed from " + m.deployedFrom(),
              c == null || c.packedBytes() < 0 ? "size unknown" : size(c.packedBytes()),
              c == null || c.macs() < 0
                  ? ""
                  : String.format(", %.2f M MACs per image", c.macs() / 1e6)));
      return;
    }
    long quantized =
        q.layers().stream().filter(io.qrbench.result.QuantizationSummary.Layer::quantized).count();
    info(
        String.format(
            "%s: %s, %d of %d kernels quantized, %.2f bits/weight, kernels %s packed vs %s fp32 (%.1fx), zeros %.1f%%",
            m.name(),
            m.quantizer(),
            quantized,
            q.layers().size(),
            q.bitsPerWeight(),
            size(q.packedBytes()),
            size(q.fp32Bytes()),
            q.packedBytes() == 0 ? 1.0 : (double) q.fp32Bytes() / q.packedBytes(),
            100 * q.zeroFraction()));
    io.qrbench.result.ModelCost c = m.cost();
    if (c != null && c.macs() >= 0) {
      info(
          String.format(
              "%s: %.2f M MACs per image, %.1f%% of them on ternary/binary weights; model %s packed vs %s fp32",
              m.name(),
              c.macs() / 1e6,
              100 * c.lowBitMacShare(),
              size(c.packedBytes()),
              size(c.fp32Bytes())));
    }
  }

  @Override
  public void speedMeasured(io.qrbench.result.SpeedResult s) {
    line(
        String.format(
            "  %-26s batch %4d  p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  %7.0f +/- %.0f img/s"
                + "  (iterations %d, threads %d, load %.2f s, peak RSS %s)",
            "speed " + s.model(),
            s.batchSize(),
            s.p50Ms(),
            s.p90Ms(),
            s.p99Ms(),
            s.imagesPerSecond(),
            s.imagesPerSecondStd(),
            s.iterations(),
            s.threads(),
            s.loadSeconds(),
            s.peakRssBytes() < 0 ? "unknown" : size(s.peakRssBytes())));
  }

  private static String size(long bytes) {
    return bytes >= 1 << 20
        ? String.format("%.2f MiB", bytes / 1048576.0)
        : String.format("%.1f KiB", bytes / 1024.0);
  }

  @Override
  public void caseStarted(String caseId, int images) {
    RunProgress p = progress;
    if (p == null) {
      startBar(caseId, images, " img");
      return;
    }
    p.caseStarted(caseId);
    startBar("case " + p.caseNumber() + "/" + p.totalCases() + " " + caseId, images, " img");
  }

  @Override
  public void imagesDone(int images) {
    RunProgress p = progress;
    if (p != null) {
      p.imagesDone(images);
    }
    advance(images, p == null ? null : "run " + p.summary().replaceFirst("^case \\S+, ", ""));
  }

  @Override
  public void caseFinished(CaseResult r) {
    RunProgress p = progress;
    if (p != null) {
      p.caseFinished();
    }
    if (r.ok()) {
      line(
          String.format(
              "  %-40s top-1 %6.2f%%  top-5 %6.2f%%  mean|d| %.4f  %7.0f img/s",
              r.id(),
              r.metrics().top1(),
              r.metrics().top5(),
              r.metrics().meanAbs(),
              r.metrics().imagesPerSecond()));
    } else {
      line(String.format("  %-40s FAILED: %s", r.id(), r.error()));
    }
  }
}
