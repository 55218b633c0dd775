package io.qrbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One perturbation of a batch of CIFAR-shaped test images, with its suite defaults (PGD with 10
 * steps; {@code poisson-severity-1} is CIFAR-10-C's mildest Poisson, {@code gaussian-uint8} rounds
 * the noisy image to k/255). The attacks take their gradients through a randomly initialised
 * full-precision ResNet-20; the noises ignore it. The score is milliseconds per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class PerturbationBench {
  static {
    Harness.configureEngine();
  }

  /** Each perturbation as a suite would name it. */
  private static final Map<String, String> SUITE_SYNTAX =
      Map.of(
          "gaussian", "gaussian",
          "poisson", "poisson",
          "salt-and-pepper", "salt-and-pepper",
          "speckle", "speckle",
          "fgsm", "fgsm",
          "pgd", "{id: pgd, steps: 10}",
          "poisson-severity-1", "{id: poisson, severity: 1}",
          "gaussian-uint8", "{id: gaussian, quantize-to-uint8: true}");

  @Param({
    "gaussian",
    "poisson",
    "salt-and-pepper",
    "speckle",
    "fgsm",
    "pgd",
    "poisson-severity-1",
    "gaussian-uint8"
  })
  public String perturbation;

  @Param({"128"})
  public int batch;

  private LoadedModel model;
  private ImageDataset data;
  private Perturbation<?> plugin;
  private Record config;
  private NDManager batchManager;
  private NDArray[] xy;

  @Setup(Level.Trial)
  public void build() {
    PluginConfig p =
        Harness.plugin(
            PluginKind.PERTURBATION, SUITE_SYNTAX.getOrDefault(perturbation, perturbation));
    plugin = p.plugin(Perturbation.class);
    config = p.config();
    model = Harness.resnet(20, "fp32");
    data = Harness.testImages();
  }

  /**
   * Fresh images in the batch's own manager, made outside the timing; everything is freed with it.
   */
  @Setup(Level.Invocation)
  public void load() {
    batchManager = model.manager().newSubManager();
    xy = Harness.batch(data, batchManager, batch);
  }

  @Benchmark
  public NDArray perturb() {
    return apply(plugin, config, new Context(xy[0], xy[1], model, batchManager));
  }

  private static <C extends Record> NDArray apply(
      Perturbation<C> p, Record config, PerturbationContext ctx) {
    return p.apply(p.configType().cast(config), ctx);
  }

  @TearDown(Level.Invocation)
  public void free() {
    batchManager.close();
  }

  @TearDown(Level.Trial)
  public void close() {
    model.close();
  }

  /** The batch as the runner hands it over: images 0..n-1 of the test split, a fixed seed. */
  private record Context(NDArray images, NDArray labels, ModelUnderTest model, NDManager manager)
      implements PerturbationContext {
    @Override
    public int firstIndex() {
      return 0;
    }

    @Override
    public long seed(int i) {
      return 0x9E3779B97F4A7C15L * (i + 1);
    }

    @Override
    public void record(String metric, float[] perImage) {}
  }
}
