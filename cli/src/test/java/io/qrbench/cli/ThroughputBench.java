package io.qrbench.cli;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.qrbench.datasets.Cifar10Dataset;
import io.qrbench.models.CifarResNet;
import io.qrbench.nn.Layers;
import io.qrbench.result.Metrics;
import io.qrbench.runner.CaseEvaluator;
import io.qrbench.runner.LimitedDataset;
import io.qrbench.runner.LoadedModel;
import io.qrbench.runner.RunListener;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import io.qrbench.train.AugmentSpec;
import io.qrbench.train.EpochLog;
import io.qrbench.train.OptimizerSpec;
import io.qrbench.train.ScheduleSpec;
import io.qrbench.train.TrainingListener;
import io.qrbench.train.TrainingLoop;
import io.qrbench.train.TrainingPlan;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The harness against bare DJL on ResNet-20, CIFAR-10, batch 128: training and evaluation
 * throughput, alternating so both see the same machine. A benchmark, not a test: its name keeps it
 * out of the test run; run it with {@code mvn -pl cli test -Dtest=ThroughputBench}. It asserts
 * nothing and prints its numbers.
 */
class ThroughputBench {
  private static final int BATCH = 128;
  private static final int TRAIN_STEPS = 24;
  private static final int EVAL_BATCHES = 40;
  private static final ModelInput INPUT = new ModelInput(3, 32, 32, 10);

  private static LoadedModel resnet20() {
    return new LoadedModel("resnet20", INPUT, m -> new CifarResNet().build(new CifarResNet.Config(20, null, null),
        new ModelContext(INPUT, Layers.plain(), m, Optional.empty())));
  }

  @Test
  void harnessAgainstBareDjl() {
    ImageDataset train = LimitedDataset.of(new Cifar10Dataset().open(new Cifar10Dataset.Config(null, false), Split.TRAIN), BATCH * TRAIN_STEPS);
    ImageDataset test = LimitedDataset.of(new Cifar10Dataset().open(new Cifar10Dataset.Config(null, false), Split.TEST), BATCH * EVAL_BATCHES);
    for (int round = 0; round < 3; round++) {
      System.out.printf("round %d: train  djl %6.0f img/s   harness %6.0f img/s%n", round, djlTrain(train), harnessTrain(train));
      System.out.printf("round %d: eval   djl %6.0f img/s   harness %6.0f img/s%n", round, djlEval(test), harnessEval(test));
    }
  }

  /** DJL's Trainer and SGD, batches built from the same dataset reads, no augmentation. */
  private static double djlTrain(ImageDataset data) {
    try (LoadedModel m = resnet20()) {
      m.freeze(false);
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f)
          .optWeightDecays(1e-4f).build();
      try (Trainer trainer = m.model().newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd))) {
        float[] pixels = new float[BATCH * 3072];
        int[] labels = new int[BATCH];
        long t0 = 0;
        for (int step = 0; step < TRAIN_STEPS; step++) {
          if (step == 4) {
            t0 = System.nanoTime();
          }
          for (int i = 0; i < BATCH; i++) {
            data.readImage(step * BATCH + i, pixels, i * 3072);
            labels[i] = data.label(step * BATCH + i);
          }
          try (NDManager bm = m.manager().newSubManager()) {
            NDArray x = bm.create(FloatBuffer.wrap(pixels), new Shape(BATCH, 3, 32, 32));
            NDArray y = bm.create(labels);
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList out = trainer.forward(new NDList(x));
              gc.backward(trainer.getLoss().evaluate(new NDList(y), out));
            }
            trainer.step();
          }
        }
        return (TRAIN_STEPS - 4) * BATCH / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  /** qrbench's training loop (its SGD, its batches), one epoch over the same images. */
  private static double harnessTrain(ImageDataset data) {
    try (LoadedModel m = resnet20()) {
      TrainingPlan plan = new TrainingPlan(1, BATCH, new OptimizerSpec(0.05, 0.9, false, 1e-4, null),
          new ScheduleSpec("constant", null, null, null, null, null, null, null), AugmentSpec.none(), 1);
      long[] started = new long[1];
      int[] steps = new int[1];
      List<EpochLog> log = new TrainingLoop(m, data, null, plan, new TrainingListener() {
        @Override
        public void stepFinished(double loss, double top1, double imagesPerSecond) {
          if (++steps[0] == 4) {
            started[0] = System.nanoTime();
          }
        }
      }).run(0, null, List.of(), (d, l, h, s) -> {});
      return log.isEmpty() ? 0 : (TRAIN_STEPS - 4) * BATCH / ((System.nanoTime() - started[0]) / 1e9);
    }
  }

  private static double djlEval(ImageDataset data) {
    try (LoadedModel m = resnet20()) {
      m.freeze(true);
      Block block = m.block();
      ParameterStore ps = new ParameterStore(m.manager(), false);
      float[] pixels = new float[BATCH * 3072];
      long t0 = System.nanoTime();
      for (int b = 0; b < EVAL_BATCHES; b++) {
        for (int i = 0; i < BATCH; i++) {
          data.readImage(b * BATCH + i, pixels, i * 3072);
        }
        try (NDManager bm = m.manager().newSubManager()) {
          NDArray x = bm.create(FloatBuffer.wrap(pixels), new Shape(BATCH, 3, 32, 32));
          block.forward(ps, new NDList(x), false).singletonOrThrow().argMax(1).toType(DataType.INT32, false).toIntArray();
        }
      }
      return EVAL_BATCHES * BATCH / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static double harnessEval(ImageDataset data) {
    try (LoadedModel m = resnet20()) {
      m.freeze(true);
      Metrics metrics = new CaseEvaluator(data, BATCH, new RunListener() {}).evaluateClean(m);
      return metrics.imagesPerSecond();
    }
  }
}
