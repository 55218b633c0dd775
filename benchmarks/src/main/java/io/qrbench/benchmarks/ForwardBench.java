package io.qrbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * One forward pass of a randomly initialised CIFAR ResNet (weights do not change the arithmetic)
 * per quantizer and batch size, through {@link LoadedModel#logits}, the call every case and the
 * suite's {@code speed:} section make, until the logits are copied into Java. The score is batches
 * per second; the {@code images} counter is images per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class ForwardBench {
  static {
    Harness.configureEngine();
  }

  /** 6n+2: 20 is ResNet-20. */
  @Param({"20"})
  public int depth;

  @Param({"fp32", "twn", "ttq", "binary", "uniform"})
  public String quantizer;

  @Param({"1", "32", "128"})
  public int batch;

  private LoadedModel model;
  private ImageDataset data;
  private NDManager batchManager;
  private NDArray images;

  /** Images per second beside the score's batches per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Images {
    public long images;

    @Setup(Level.Iteration)
    public void reset() {
      images = 0;
    }
  }

  @Setup(Level.Trial)
  public void build() {
    model = Harness.resnet(depth, quantizer);
    data = Harness.testImages();
  }

  /** Each pass gets fresh images in its own manager, as in a run, made outside the timing. */
  @Setup(Level.Invocation)
  public void load() {
    batchManager = model.manager().newSubManager();
    images = Harness.batch(data, batchManager, batch)[0];
  }

  @Benchmark
  public float[] forward(Images counter) {
    float[] logits = model.logits(images).toFloatArray();
    counter.images += batch;
    return logits;
  }

  @TearDown(Level.Invocation)
  public void free() {
    batchManager.close();
  }

  @TearDown(Level.Trial)
  public void close() {
    model.close();
  }
}
