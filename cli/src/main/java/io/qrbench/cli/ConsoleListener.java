package io.qrbench.cli;

import io.qrbench.result.CaseResult;
import io.qrbench.runner.RunListener;
import java.io.PrintWriter;

/**
 * Shows a run on the console: a progress bar per case (images/s and ETA) and per training, and one
 * line per finished case.
 */
final class ConsoleListener extends Console implements RunListener {
  private double lastLoss;

  ConsoleListener(PrintWriter out) {
    super(out);
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
    startBar(caseId, images, " img");
  }

  @Override
  public void imagesDone(int images) {
    advance(images, null);
  }

  @Override
  public void caseFinished(CaseResult r) {
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
