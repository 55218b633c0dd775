package io.qrbench.runner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.SpeedResult;
import io.qrbench.spi.ImageDataset;
import io.qrbench.suite.SpeedSpec;
import io.qrbench.util.ProcessMemory;
import java.util.Arrays;

/**
 * Times a model's forward pass on dataset images, batch size by batch size. Each pass is timed from
 * the images being handed to the model until its logits are copied into Java, which is what a
 * caller waits for; loading the images is not timed. Each pass has its own manager, so memory stays
 * flat however many passes run.
 */
final class SpeedMeter {
  private final ImageDataset data;
  private final SpeedSpec spec;
  private final int threads;

  /**
   * @param data the images, cycled when a batch wants more than there are
   * @param spec batch sizes, warm-up and measured passes
   * @param threads the engine's intra-op threads, recorded with each result
   */
  SpeedMeter(ImageDataset data, SpeedSpec spec, int threads) {
    this.data = data;
    this.spec = spec;
    this.threads = threads;
  }

  /** Measures {@code model} at {@code batchSize}; {@code loadSeconds} is recorded with it. */
  SpeedResult measure(LoadedModel model, int batchSize, double loadSeconds) {
    Batches batches = new Batches(data, batchSize);
    int[] indices = new int[batchSize];
    double[] ms = new double[spec.iterations()];
    int next = 0;
    for (int i = 0; i < spec.warmup() + spec.iterations(); i++) {
      for (int j = 0; j < batchSize; j++) {
        indices[j] = next;
        next = (next + 1) % data.size();
      }
      try (NDManager bm = model.manager().newSubManager()) {
        NDArray images = batches.load(bm, indices, 0, batchSize)[0];
        long t0 = System.nanoTime();
        model.logits(images).toFloatArray();
        long t1 = System.nanoTime();
        if (i >= spec.warmup()) {
          ms[i - spec.warmup()] = (t1 - t0) / 1e6;
        }
      }
    }
    return result(model.name(), batchSize, ms, loadSeconds);
  }

  SpeedResult result(String model, int batchSize, double[] ms, double loadSeconds) {
    double mean = Arrays.stream(ms).average().orElse(Double.NaN);
    double[] perSecond = Arrays.stream(ms).map(t -> batchSize * 1000 / t).toArray();
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return new SpeedResult(
        model,
        batchSize,
        threads,
        spec.warmup(),
        ms.length,
        mean,
        std(ms),
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        batchSize * 1000 / mean,
        std(perSecond),
        // the whole process's high-water mark: the largest model or batch so far sets it
        ProcessMemory.peakResidentBytes(),
        loadSeconds);
  }

  /** Nearest rank: the smallest value with at least p% of the values at or below it. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** Sample standard deviation; 0 for a single value. */
  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double mean = Arrays.stream(v).average().orElse(0);
    double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
    return Math.sqrt(ss / (v.length - 1));
  }
}
