package io.qrbench.perturbations;


import ai.djl.ndarray.NDArray;
import io.qrbench.spi.Perturbation;
import io.qrbench.testing.SimpleContext;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Noise must not be the bottleneck: times one batch of 128 CIFAR images (3 x 32 x 32, 8-bit
 * values) per noise, from the clean NDArray to the noisy one, and prints the median. A benchmark,
 * not a test: its name keeps it out of the test run; run it with
 * {@code mvn -pl plugins-perturbations test -Dtest=NoiseSpeedBench}. It asserts nothing.
 */
class NoiseSpeedBench {
  private static final int BATCH = 128;
  private static final int WARMUP = 30;
  private static final int RUNS = 60;
  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void aBatchOf128CifarImagesTakesMilliseconds() {
    NDArray x = fx.random8Bit(BATCH, 0);
    StringBuilder report = new StringBuilder("noise time per batch of 128 x 3 x 32 x 32 (median of "
        + RUNS + " after " + WARMUP + " warm-up runs):");
    double worst = 0;
    worst = Math.max(worst, time("gaussian", new GaussianNoise(), new NormalNoiseConfig(null, null, null, null), x, report));
    worst = Math.max(worst, time("speckle", new SpeckleNoise(), new NormalNoiseConfig(null, null, null, null), x, report));
    worst = Math.max(worst, time("poisson", new PoissonNoise(), new PoissonNoise.Config(null, null, null), x, report));
    worst = Math.max(worst, time("poisson severity 1", new PoissonNoise(), new PoissonNoise.Config(null, 1, null), x,
        report));
    worst = Math.max(worst, time("salt-and-pepper", new SaltAndPepperNoise(),
        new SaltAndPepperNoise.Config(null, null, null, null), x, report));
    worst = Math.max(worst, time("gaussian quantized", new GaussianNoise(),
        new NormalNoiseConfig(null, null, null, true), x, report));
    System.out.println(report);
    System.out.println("worst median: " + worst + " ms");
  }

  private static <C extends Record> double time(String name, Perturbation<C> p, C config, NDArray x,
      StringBuilder report) {
    double[] ms = new double[RUNS];
    for (int i = -WARMUP; i < RUNS; i++) {
      long t0 = System.nanoTime();
      NDArray y = p.apply(config, SimpleContext.of(x, i * BATCH, 42));
      long t1 = System.nanoTime();
      y.close();
      if (i >= 0) {
        ms[i] = (t1 - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    double median = ms[RUNS / 2];
    report.append(String.format(Locale.ROOT, "%n  %-20s median %6.2f ms, min %6.2f ms, max %6.2f ms", name, median,
        ms[0], ms[RUNS - 1]));
    return median;
  }
}
