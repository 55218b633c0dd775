package io.qrbench.runner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import io.qrbench.spi.ImageDataset;
import io.qrbench.suite.TrainSpec;
import java.util.Random;

/**
 * Trains a suite model inside a run: SGD with momentum, weight decay and a cosine schedule, the
 * images shuffled each epoch by a seeded generator, every batch in its own NDArray scope.
 */
final class InRunTrainer {
  private InRunTrainer() {}

  /**
   * Trains {@code model} in place.
   *
   * @return top-1 accuracy in percent over the last epoch's training batches
   */
  static double train(LoadedModel model, ImageDataset data, TrainSpec spec, long seed, RunListener listener) {
    int n = data.size();
    int steps = (n + spec.batchSize() - 1) / spec.batchSize();
    CosineTracker lr = CosineTracker.builder()
        .setBaseValue(spec.learningRate().floatValue())
        .optFinalValue(0f)
        .setMaxUpdates(Math.max(1, steps * spec.epochs()))
        .build();
    Optimizer sgd = Optimizer.sgd()
        .setLearningRateTracker(lr)
        .optMomentum(spec.momentum().floatValue())
        .optWeightDecays(spec.weightDecay().floatValue())
        .build();
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd);
    Random shuffle = new Random(seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Batches batches = new Batches(data, spec.batchSize());
    listener.trainingStarted(model.name(), spec.epochs(), (long) steps * spec.epochs());
    model.freeze(false);
    long correct = 0;
    try (Trainer trainer = model.model().newTrainer(config)) {
      for (int epoch = 0; epoch < spec.epochs(); epoch++) {
        shuffle(order, shuffle);
        correct = 0;
        for (int from = 0; from < n; from += spec.batchSize()) {
          int count = Math.min(spec.batchSize(), n - from);
          try (NDManager bm = model.manager().newSubManager()) {
            NDArray[] xy = batches.load(bm, order, from, count);
            NDList labels = new NDList(xy[1]);
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList logits = trainer.forward(new NDList(xy[0]));
              NDArray l = trainer.getLoss().evaluate(labels, logits);
              gc.backward(l);
              loss = l.getFloat();
              correct += logits.singletonOrThrow().argMax(1).toType(xy[1].getDataType(), false)
                  .eq(xy[1]).sum().getLong();
            }
            trainer.step();
            listener.trainingProgress(1, loss);
          }
        }
      }
    } finally {
      model.freeze(true);
    }
    double accuracy = 100.0 * correct / n;
    listener.trainingFinished(model.name(), accuracy);
    return accuracy;
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
