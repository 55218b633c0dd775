package io.qrbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.qrbench.eval.CaseEvaluator;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.Metrics;
import io.qrbench.spi.ImageDataset;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a model: shuffled, augmented batches, each in its own NDArray scope; SGD with momentum
 * under a per-step schedule; the test split evaluated after every epoch. Everything random is
 * derived from the seed, the epoch and the image index, so training resumed from the checkpoint of
 * epoch k continues exactly as if it had never stopped.
 */
public final class TrainingLoop {
  private final LoadedModel model;
  private final ImageDataset train;
  private final ImageDataset test;
  private final TrainingLoopSettings plan;
  private final TrainingListener listener;
  private final Loss loss = Loss.softmaxCrossEntropyLoss();

  /**
   * @param test the images to evaluate after each epoch, or null to skip evaluation
   */
  public TrainingLoop(
      LoadedModel model,
      ImageDataset train,
      ImageDataset test,
      TrainingLoopSettings plan,
      TrainingListener listener) {
    this.model = model;
    this.train = train;
    this.test = test;
    this.plan = plan;
    this.listener = listener;
  }

  /** Called after every epoch with the states to checkpoint. */
  @FunctionalInterface
  public interface EpochSink {
    void epochDone(int epochsDone, List<EpochLog> log, NDList hookState, NDList optimizerState);
  }

  /**
   * Trains from epoch {@code startEpoch} (0-based; 0 for a fresh start) to the plan's last.
   *
   * @param optimizerState momentum buffers from a checkpoint, or null for a fresh start
   * @param previousLog the epochs logged before {@code startEpoch}
   * @return the full log
   */
  public List<EpochLog> run(
      int startEpoch, NDList optimizerState, List<EpochLog> previousLog, EpochSink sink) {
    List<Parameter> params = new ArrayList<>();
    for (Pair<String, Parameter> p : model.block().getParameters()) {
      if (LoadedModel.trainable(p.getValue())) {
        params.add(p.getValue());
      }
    }
    List<EpochLog> log = new ArrayList<>(previousLog);
    int n = train.size();
    long steps = (n + plan.batchSize() - 1) / plan.batchSize();
    model.freeze(false);
    try (Sgd sgd = new Sgd(plan.optimizer(), params, model.hook().trainable(), model.manager())) {
      if (optimizerState != null) {
        sgd.restore(optimizerState);
      }
      ParameterStore store = new ParameterStore(model.manager(), false);
      for (int epoch = startEpoch; epoch < plan.epochs(); epoch++) {
        log.add(epoch(epoch, steps, store, sgd));
        NDList hookState =
            new NDList(model.hook().parameters().stream().map(Parameter::getArray).toList());
        sink.epochDone(epoch + 1, List.copyOf(log), hookState, sgd.state());
        listener.epochFinished(log.get(log.size() - 1));
      }
    } finally {
      model.freeze(true);
    }
    return log;
  }

  private EpochLog epoch(int epoch, long steps, ParameterStore store, Sgd sgd) {
    long t0 = System.nanoTime();
    int n = train.size();
    int bs = plan.batchSize();
    int[] order = permutation(n, plan.seed() * 1_000_003L + epoch);
    int size = train.imageSize();
    float[] pixels = new float[bs * size];
    int[] labels = new int[bs];
    Augmenter augmenter =
        new Augmenter(plan.augment(), train.channels(), train.height(), train.width());
    listener.epochStarted(epoch + 1, plan.epochs(), steps);
    double lossSum = 0;
    long correct = 0;
    double lr = 0;
    for (int from = 0, step = 0; from < n; from += bs, step++) {
      int count = Math.min(bs, n - from);
      for (int i = 0; i < count; i++) {
        int idx = order[from + i];
        train.readImage(idx, pixels, i * size);
        labels[i] = train.label(idx);
        if (plan.augment().enabled()) {
          augmenter.apply(pixels, i * size, new SplittableRandom(imageSeed(epoch, idx)));
        }
      }
      lr =
          plan.schedule()
              .rate(plan.optimizer().learningRate(), epoch * steps + step, steps, plan.epochs());
      try (NDManager bm = model.manager().newSubManager()) {
        NDArray x =
            bm.create(
                FloatBuffer.wrap(pixels, 0, count * size),
                new Shape(count, train.channels(), train.height(), train.width()));
        NDArray y = bm.create(java.util.Arrays.copyOf(labels, count));
        float l;
        try (GradientCollector gc = bm.getEngine().newGradientCollector()) {
          NDArray logits = model.block().forward(store, new NDList(x), true).singletonOrThrow();
          NDArray batchLoss = loss.evaluate(new NDList(y), new NDList(logits));
          gc.backward(batchLoss);
          l = batchLoss.getFloat();
          correct += logits.argMax(1).toType(DataType.INT32, false).eq(y).sum().getLong();
        }
        sgd.step(lr);
        lossSum += (double) l * count;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      listener.stepFinished(
          l(lossSum, from + count), 100.0 * correct / (from + count), (from + count) / seconds);
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    Double top1 = null;
    Double top5 = null;
    if (test != null) {
      listener.evaluating(test.size());
      Metrics m = new CaseEvaluator(test, Math.max(bs, 128), images -> {}).evaluateClean(model);
      top1 = m.top1();
      top5 = m.top5();
    }
    return new EpochLog(
        epoch + 1,
        lossSum / n,
        100.0 * correct / n,
        top1,
        top5,
        lr,
        (System.nanoTime() - t0) / 1e9,
        n / trainSeconds);
  }

  private static double l(double sum, int images) {
    return sum / images;
  }

  private long imageSeed(int epoch, int index) {
    long z = plan.seed() * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seeded Fisher-Yates permutation of 0..n-1. */
  static int[] permutation(int n, long seed) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
