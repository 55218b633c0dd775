package io.qrbench.benchmarks;

import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import java.util.List;
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
 * A quantizer's post-training step on all of ResNet-20's kernels (269,722 weights), as the runner
 * calls it once per model: each call starts from the same full-precision kernels. The score is
 * milliseconds per model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class QuantizeBench {
  static {
    Harness.configureEngine();
  }

  @Param({"fp32", "twn", "ttq", "binary", "uniform"})
  public String quantizer;

  private LoadedModel model;
  private PluginConfig config;
  private List<QuantizableLayer> layers;
  private float[][] original;

  @Setup(Level.Trial)
  public void build() {
    config = Harness.plugin(PluginKind.QUANTIZER, quantizer);
    model = Harness.unquantized(20, config);
    layers = model.quantizableLayers();
    original =
        layers.stream().map(l -> l.weight().getArray().toFloatArray()).toArray(float[][]::new);
  }

  /** Puts the full-precision kernels back: quantizing is done in place. */
  @Setup(Level.Invocation)
  public void restore() {
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).weight().getArray().set(original[i]);
    }
  }

  @Benchmark
  public QuantizationSummary quantize() {
    return Invoke.quantize(config, layers);
  }

  @TearDown(Level.Trial)
  public void close() {
    model.close();
  }
}
