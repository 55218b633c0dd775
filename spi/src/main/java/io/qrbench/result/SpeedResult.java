package io.qrbench.result;

/**
 * One model's measured inference speed at one batch size (the suite's {@code speed:} section).
 *
 * @param model the model's display name
 * @param batchSize images per forward pass
 * @param threads intra-op threads the engine used
 * @param warmup unmeasured iterations run first
 * @param iterations measured iterations
 * @param meanMs mean latency of one batch, milliseconds
 * @param stdMs standard deviation of the batch latency, milliseconds
 * @param p50Ms median batch latency, milliseconds
 * @param p90Ms 90th percentile batch latency, milliseconds
 * @param p99Ms 99th percentile batch latency, milliseconds
 * @param imagesPerSecond throughput: batch size / mean latency
 * @param imagesPerSecondStd spread of the per-iteration throughput (standard deviation)
 * @param peakRssBytes the process's peak resident memory after the measurement, or -1 if unknown
 * @param loadSeconds seconds to build the model and load its weights
 */
public record SpeedResult(
    String model,
    int batchSize,
    int threads,
    int warmup,
    int iterations,
    double meanMs,
    double stdMs,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double imagesPerSecond,
    double imagesPerSecondStd,
    long peakRssBytes,
    double loadSeconds) {}
