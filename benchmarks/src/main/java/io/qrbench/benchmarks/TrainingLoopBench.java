package io.qrbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.qrbench.model.LimitedDataset;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import io.qrbench.suite.AugmentSpec;
import io.qrbench.suite.OptimizerSpec;
import io.qrbench.suite.ScheduleSpec;
import io.qrbench.train.TrainingListener;
import io.qrbench.train.TrainingLoop;
import io.qrbench.train.TrainingLoopSettings;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * qrbench's training loop against a bare DJL {@link Trainer} loop: one epoch over the same {@value
 * #IMAGES} training images (CIFAR-10 when cached, else synthetic) in batches of {@value #BATCH},
 * SGD with momentum 0.9 and weight decay 1e-4 at a constant rate, no augmentation, on a
 * full-precision ResNet-20 that keeps learning from one invocation to the next. Scores are images
 * per second.
 *
 * <ul>
 *   <li>{@code harnessLoop}: {@link TrainingLoop} (its batches, scopes, SGD and schedule);
 *   <li>{@code djlTrainer}: DJL's Trainer, SGD and softmax cross-entropy, batches built from the
 *       same dataset reads.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class TrainingLoopBench {
  static final int IMAGES = 1024;
  static final int BATCH = 128;

  static {
    Harness.configureEngine();
  }

  private ImageDataset data;
  private LoadedModel harnessModel;
  private LoadedModel djlModel;
  private Trainer trainer;
  private TrainingLoopSettings plan;

  @Setup(Level.Trial)
  public void prepare() {
    data = LimitedDataset.of(Harness.trainImages(), IMAGES);
    harnessModel = trainable();
    djlModel = trainable();
    Optimizer sgd =
        Optimizer.sgd()
            .setLearningRateTracker(Tracker.fixed(0.05f))
            .optMomentum(0.9f)
            .optWeightDecays(1e-4f)
            .build();
    trainer =
        djlModel
            .model()
            .newTrainer(
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd));
    plan =
        new TrainingLoopSettings(
            1,
            BATCH,
            new OptimizerSpec(0.05, 0.9, false, 1e-4, null),
            new ScheduleSpec("constant", null, null, null, null, null, null, null),
            AugmentSpec.none(),
            1);
  }

  private static LoadedModel trainable() {
    LoadedModel m =
        Harness.unquantized(20, Harness.plugin(io.qrbench.spi.PluginKind.QUANTIZER, "fp32"));
    m.freeze(false);
    return m;
  }

  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public int harnessLoop() {
    return new TrainingLoop(harnessModel, data, null, plan, new TrainingListener() {})
        .run(0, null, List.of(), (done, log, hook, optimizer) -> {})
        .size();
  }

  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public float djlTrainer() {
    float[] pixels = new float[BATCH * 3072];
    int[] labels = new int[BATCH];
    float last = 0;
    for (int first = 0; first + BATCH <= IMAGES; first += BATCH) {
      for (int i = 0; i < BATCH; i++) {
        data.readImage(first + i, pixels, i * 3072);
        labels[i] = data.label(first + i);
      }
      try (NDManager bm = djlModel.manager().newSubManager()) {
        NDArray x = bm.create(FloatBuffer.wrap(pixels), new Shape(BATCH, 3, 32, 32));
        NDArray y = bm.create(labels);
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
          gc.backward(loss);
          last = loss.getFloat();
        }
        trainer.step();
      }
    }
    return last;
  }

  @TearDown(Level.Trial)
  public void close() {
    trainer.close();
    djlModel.close();
    harnessModel.close();
  }
}
