package io.qrbench.result;

import java.util.function.Function;

/**
 * The measurements of one {@link SpeedResult}, each named once for the CSV rows, the HTML speed
 * table and the results.json validation, as {@link Metric} names a case's.
 *
 * <p>The camelCase {@link #jsonName()} is the {@link SpeedResult} component; the snake-case {@link
 * #key()} names CSV rows ({@code p50_ms}).
 */
public enum SpeedMetric {
  BATCH_SIZE("batchSize", "Batch", "images", 0, s -> (double) s.batchSize()),
  THREADS("threads", "Threads", "", 0, s -> (double) s.threads()),
  WARMUP("warmup", "Warm-up", "iterations", 0, s -> (double) s.warmup()),
  ITERATIONS("iterations", "Iterations", "iterations", 0, s -> (double) s.iterations()),
  MEAN_MS("meanMs", "mean (ms)", "ms", 2, SpeedResult::meanMs),
  STD_MS("stdMs", "std (ms)", "ms", 2, SpeedResult::stdMs),
  P50_MS("p50Ms", "p50 (ms)", "ms", 2, SpeedResult::p50Ms),
  P90_MS("p90Ms", "p90 (ms)", "ms", 2, SpeedResult::p90Ms),
  P99_MS("p99Ms", "p99 (ms)", "ms", 2, SpeedResult::p99Ms),
  IMAGES_PER_SECOND("imagesPerSecond", "Images / s", "images/s", 1, SpeedResult::imagesPerSecond),
  IMAGES_PER_SECOND_STD(
      "imagesPerSecondStd", "Images / s std", "images/s", 1, SpeedResult::imagesPerSecondStd),
  PEAK_RSS_BYTES("peakRssBytes", "Peak memory", "bytes", 0, s -> (double) s.peakRssBytes()),
  LOAD_SECONDS("loadSeconds", "Load (s)", "s", 2, SpeedResult::loadSeconds);

  private final String jsonName;
  private final String label;
  private final String unit;
  private final int decimals;
  private final Function<SpeedResult, Double> value;

  SpeedMetric(
      String jsonName,
      String label,
      String unit,
      int decimals,
      Function<SpeedResult, Double> value) {
    this.jsonName = jsonName;
    this.label = label;
    this.unit = unit;
    this.decimals = decimals;
    this.value = value;
  }

  /** The {@link SpeedResult} component and results.json field: {@code p50Ms}. */
  public String jsonName() {
    return jsonName;
  }

  /** The CSV row's name: {@code p50_ms}. */
  public String key() {
    StringBuilder b = new StringBuilder();
    for (char c : jsonName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The column heading in the HTML speed table. */
  public String label() {
    return label;
  }

  /** The unit. */
  public String unit() {
    return unit;
  }

  /** Decimals shown in the HTML table. */
  public int decimals() {
    return decimals;
  }

  /** Its value in {@code s} (whole numbers as doubles, exact below 2^53). */
  public double value(SpeedResult s) {
    return value.apply(s);
  }
}
