package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import java.util.List;

/**
 * A suite's {@code speed:} section: after its robustness cases, each model's forward pass is timed
 * on dataset images at each batch size. Keys left out take the defaults; the suite loader checks
 * the values (with their locations), so this record only fills them in.
 *
 * @param batchSizes images per forward pass, one measurement each
 * @param warmup unmeasured passes before each measurement
 * @param iterations measured passes per batch size
 * @param threads intra-op threads the engine was told to use, recorded with the numbers; null for
 *     what the engine was started with
 */
public record SpeedSpec(
    @JsonPropertyDescription("images per forward pass, one measurement each")
        @Bound(min = 1, max = 65536, why = Bounds.BATCH)
        List<Integer> batchSizes,
    @JsonPropertyDescription("unmeasured passes before each measurement")
        @Bound(min = 0, max = 10_000, why = "5 warms the engine's caches")
        Integer warmup,
    @JsonPropertyDescription("measured passes per batch size")
        @Bound(min = 1, max = 100_000, why = "30 gives stable percentiles; p99 needs 100")
        Integer iterations,
    @JsonPropertyDescription("intra-op threads the engine was told to use (informational)")
        @Bound(min = 1, max = 4096)
        Integer threads) {
  static final List<Integer> DEFAULT_BATCH_SIZES = List.of(1, 32, 128);
  static final int DEFAULT_WARMUP = 5;
  static final int DEFAULT_ITERATIONS = 30;

  public SpeedSpec {
    // nulls stay for the loader to report with their location
    batchSizes =
        batchSizes == null
            ? DEFAULT_BATCH_SIZES
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(batchSizes));
    warmup = warmup == null ? DEFAULT_WARMUP : warmup;
    iterations = iterations == null ? DEFAULT_ITERATIONS : iterations;
  }
}
