package io.qrbench.benchmarks;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.qrbench.eval.CaseEvaluator;
import io.qrbench.model.LimitedDataset;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The harness against bare DJL on the same full-precision ResNet-20 weights and the same {@value
 * #IMAGES} test images (CIFAR-10 when cached, else synthetic), in batches of {@value #BATCH}; every
 * score is images per second:
 *
 * <ul>
 *   <li>{@code runner}: {@link Runner#run} on a suite with one model and {@code none}, everything a
 *       user's run does (open the dataset, build the model, load its weights, evaluate, write
 *       results.json);
 *   <li>{@code harnessLoop}: the runner's evaluation loop alone on a model already loaded;
 *   <li>{@code djlPredictor}: a DJL {@link Predictor} loop on that model, counting top-1 hits.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class EvaluationLoopBench {
  static final int IMAGES = 1024;
  static final int BATCH = 128;

  static {
    Harness.configureEngine();
  }

  private Path dir;
  private Suite suite;
  private ImageDataset data;
  private LoadedModel model;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    dir = Files.createTempDirectory("qrbench-eval-bench");
    Path weights = dir.resolve("resnet20.params");
    PluginConfig fp32 = Harness.plugin(PluginKind.QUANTIZER, "fp32");
    try (LoadedModel init = Harness.unquantized(20, fp32)) {
      WeightsFile.save(
          init.block(),
          WeightsMetadata.trained(
              Harness.resnetConfig(20),
              fp32,
              "benchmark",
              Harness.CIFAR,
              null,
              null,
              0,
              1,
              "random initialisation for EvaluationLoopBench"),
          weights);
    }
    String dataset = Harness.datasetYaml();
    suite =
        new SuiteLoader(Harness.registry())
            .parse(
                "evaluation-loop-bench.yaml",
                """
        name: evaluation-loop-bench
        dataset: %s
        models:
          - {name: resnet20, model: {id: resnet-cifar, depth: 20}, weights: '%s'}
        perturbations: [none]
        batch-size: %d
        reports: []
        """
                    .formatted(dataset, weights, BATCH),
                dir)
            .withLimit(IMAGES);
    data = LimitedDataset.of(Harness.testImages(), IMAGES);
    model = Harness.unquantized(20, fp32);
    WeightsFile.load(model.block(), model.manager(), weights);
  }

  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public RunResult runner() {
    return new Runner(new RunListener() {})
        .run(suite, new Runner.Options(dir.resolve("out"), false, true));
  }

  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public Metrics harnessLoop() {
    return new CaseEvaluator(data, BATCH, images -> {}).evaluateClean(model);
  }

  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public int djlPredictor() throws TranslateException {
    int size = data.imageSize();
    float[] pixels = new float[BATCH * size];
    int correct = 0;
    try (Predictor<NDList, NDList> predictor = model.model().newPredictor(new NoopTranslator())) {
      for (int from = 0; from < IMAGES; from += BATCH) {
        int count = Math.min(BATCH, IMAGES - from);
        for (int i = 0; i < count; i++) {
          data.readImage(from + i, pixels, i * size);
        }
        try (NDManager bm = model.manager().newSubManager()) {
          NDArray x =
              bm.create(
                  FloatBuffer.wrap(pixels, 0, count * size),
                  new Shape(count, data.channels(), data.height(), data.width()));
          long[] predicted =
              predictor.predict(new NDList(x)).singletonOrThrow().argMax(1).toLongArray();
          for (int i = 0; i < count; i++) {
            correct += predicted[i] == data.label(from + i) ? 1 : 0;
          }
        }
      }
    }
    return correct;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    model.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (UncheckedIOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
