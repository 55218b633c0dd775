package io.qrbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.PluginKind;
import io.qrbench.util.ProcessMemory;
import java.util.Random;

/**
 * Resident memory under the allocation pattern of attacks whose batches shrink as images break
 * (square's queries, APGD's targets, AutoAttack's components): rounds of forward passes of a
 * ResNet-20 over a batch of 128 random images that loses one to three images every three passes,
 * down to one, with the process's resident size after each round. Run it under the native allocator
 * to be judged, as {@code bin/qrbench} sets it up; a flat series is the result (README, "Memory and
 * speed"). Not a JMH benchmark: what it measures is memory over minutes, not a steady-state time.
 *
 * <pre>
 * LD_PRELOAD=libjemalloc.so.2 MALLOC_CONF=... java -XX:MaxDirectMemorySize=128m -cp ... \
 *     io.qrbench.benchmarks.ShrinkingBatches [rounds (6)]
 * </pre>
 */
public final class ShrinkingBatches {
  private ShrinkingBatches() {}

  public static void main(String[] args) {
    Harness.configureEngine();
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    System.out.println("MALLOC_CONF=" + System.getenv().getOrDefault("MALLOC_CONF", "(unset)"));
    Random random = new Random(1); // the batch sizes of docs/benchmarks.md's measurements
    try (LoadedModel model =
        Harness.unquantized(20, Harness.plugin(PluginKind.QUANTIZER, "fp32"))) {
      long start = System.nanoTime();
      for (int round = 0; round < rounds; round++) {
        for (int n = 128; n >= 1; n -= 1 + random.nextInt(3)) {
          for (int query = 0; query < 3; query++) {
            try (NDManager m = model.manager().newSubManager()) {
              NDArray x = m.randomUniform(0, 1, new Shape(n, 3, 32, 32));
              model.logits(x).toFloatArray();
            }
          }
        }
        System.out.printf(
            "round %d: resident %d MB, peak %d MB, %.0f s%n",
            round + 1,
            ProcessMemory.residentBytes() >> 20,
            ProcessMemory.peakResidentBytes() >> 20,
            (System.nanoTime() - start) / 1e9);
      }
    }
  }
}
