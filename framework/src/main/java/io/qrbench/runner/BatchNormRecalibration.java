package io.qrbench.runner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Re-estimates BatchNorm's running statistics after quantization. BatchNorm layers were fitted to
 * the full-precision activations; quantized kernels shift them, which is the main reason
 * post-training quantization of a deep network collapses. Each batch of training images goes
 * through the model in training mode, without gradients, and the statistics BatchNorm computes on
 * it are recovered exactly: the running values are reset before the batch, so after it they hold (1
 * - momentum) x the batch's statistics. Their plain average over all batches replaces the running
 * values. The momentum is measured, not assumed: the first batch goes through twice, once from 0
 * and once from 1. Nothing else changes.
 */
final class BatchNormRecalibration {
  private BatchNormRecalibration() {}

  /**
   * Runs up to {@code batches} batches of {@code batchSize} training images through the model.
   *
   * @return the number of images used
   */
  static int run(LoadedModel model, ImageDataset train, int batches, int batchSize) {
    List<NDArray> stats = new ArrayList<>();
    for (Pair<String, Parameter> p : model.block().getParameters()) {
      Parameter.Type t = p.getValue().getType();
      if (t.equals(Parameter.Type.RUNNING_MEAN) || t.equals(Parameter.Type.RUNNING_VAR)) {
        stats.add(p.getValue().getArray());
      }
    }
    if (stats.isEmpty()) {
      return 0;
    }
    ParameterStore store = new ParameterStore(model.manager(), false);
    // the statistics were learned on augmented images: estimate them on the same distribution
    io.qrbench.train.Augmenter augment =
        new io.qrbench.train.Augmenter(
            io.qrbench.suite.AugmentSpec.standard(),
            train.channels(),
            train.height(),
            train.width());
    float[] pixels = new float[batchSize * train.imageSize()];
    double[][] sums = new double[stats.size()][];
    double[] keep = null;
    int images = 0;
    int used = 0;
    for (int b = 0; b < batches && images < train.size(); b++) {
      int count = Math.min(batchSize, train.size() - images);
      try (NDManager bm = model.manager().newSubManager()) {
        for (int i = 0; i < count; i++) {
          train.readImage(images + i, pixels, i * train.imageSize());
          augment.apply(pixels, i * train.imageSize(), new java.util.SplittableRandom(images + i));
        }
        NDArray x =
            bm.create(
                java.nio.FloatBuffer.wrap(pixels, 0, count * train.imageSize()),
                new ai.djl.ndarray.types.Shape(
                    count, train.channels(), train.height(), train.width()));
        if (keep == null) {
          float[] fromZero = forward(model, store, x, stats, 0f).get(0);
          float[] fromOne = forward(model, store, x, stats, 1f).get(0);
          keep =
              new double[] {
                fromOne[0] - fromZero[0]
              }; // running = momentum * old + (1 - momentum) * batch
        }
        List<float[]> r = forward(model, store, x, stats, 0f);
        for (int i = 0; i < stats.size(); i++) {
          float[] v = r.get(i);
          if (sums[i] == null) {
            sums[i] = new double[v.length];
          }
          for (int j = 0; j < v.length; j++) {
            sums[i][j] += v[j] / (1 - keep[0]);
          }
        }
      }
      images += count;
      used++;
    }
    for (int i = 0; i < stats.size(); i++) {
      float[] mean = new float[sums[i].length];
      for (int j = 0; j < mean.length; j++) {
        mean[j] = (float) (sums[i][j] / used);
      }
      stats.get(i).set(mean);
    }
    return images;
  }

  /**
   * Sets every statistic to {@code start}, runs the batch in training mode, returns the statistics.
   */
  private static List<float[]> forward(
      LoadedModel model, ParameterStore store, NDArray x, List<NDArray> stats, float start) {
    for (NDArray s : stats) {
      float[] v = new float[Math.toIntExact(s.size())];
      Arrays.fill(v, start);
      s.set(v);
    }
    model.block().forward(store, new NDList(x), true);
    List<float[]> out = new ArrayList<>();
    for (NDArray s : stats) {
      out.add(s.toFloatArray());
    }
    return out;
  }
}
