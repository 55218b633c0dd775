package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.ModelUnderTest;
import java.util.SplittableRandom;

/**
 * A differentiable {@link ModelUnderTest} for attack tests: a linear classifier z = W x + b on the
 * flattened image, with seeded weights, computed in Java in double precision. Its input gradient is
 * known in closed form (d objective / d x = W^T d objective / d z), and each image is computed on
 * its own, so its results do not depend on the batch, the thread count or the engine.
 */
public final class LinearModelUnderTest implements ModelUnderTest {
  private final Shape imageShape;
  private final int classes;
  private final int inputs;

  /** (classes x inputs) row-major. */
  private final float[] weight;

  private final float[] bias;

  /**
   * @param imageShape (C, H, W) of one image
   * @param classes number of classes, at least 2
   * @param seed the seed of the weights: N(0, 1/inputs) entries and N(0, 0.01) biases
   */
  public LinearModelUnderTest(Shape imageShape, int classes, long seed) {
    if (imageShape.dimension() != 3 || classes < 2) {
      throw new IllegalArgumentException(
          "want an image shape (C, H, W) and 2 classes or more, got "
              + imageShape
              + " and "
              + classes);
    }
    this.imageShape = imageShape;
    this.classes = classes;
    this.inputs = Math.toIntExact(imageShape.size());
    SplittableRandom r = new SplittableRandom(seed);
    this.weight = new float[classes * inputs];
    double scale = 1 / Math.sqrt(inputs);
    for (int j = 0; j < weight.length; j++) {
      weight[j] = (float) (r.nextGaussian() * scale);
    }
    this.bias = new float[classes];
    for (int k = 0; k < classes; k++) {
      bias[k] = (float) (r.nextGaussian() * 0.1);
    }
  }

  @Override
  public String name() {
    return "linear-test-model";
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public NDArray logits(NDArray images) {
    return images.getManager().create(forward(pixels(images)), new Shape(batch(images), classes));
  }

  @Override
  public LossGradient lossGradient(NDArray images, NDArray labels) {
    int[] y = labels.toType(DataType.INT32, false).toIntArray();
    int n = batch(images);
    if (y.length != n) {
      throw new IllegalArgumentException(y.length + " labels for " + n + " images");
    }
    float[] loss = new float[n];
    double[] logOdds = new double[n];
    ObjectiveGradient g =
        objectiveGradient(
            images,
            (z, c, dz) -> {
              for (int i = 0; i < n; i++) {
                // log-odds against y: logsumexp over the other classes minus z_y; its gradient is
                // the
                // softmax over the other classes, and -1 at y
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                  max = k == y[i] ? max : Math.max(max, z[i * c + k]);
                }
                double sum = 0;
                for (int k = 0; k < c; k++) {
                  sum += k == y[i] ? 0 : Math.exp(z[i * c + k] - max);
                }
                for (int k = 0; k < c; k++) {
                  dz[i * c + k] = k == y[i] ? -1f : (float) (Math.exp(z[i * c + k] - max) / sum);
                }
                logOdds[i] = max + Math.log(sum) - z[i * c + y[i]];
                // cross-entropy = log(1 + e^logOdds), without overflow
                loss[i] =
                    (float) (Math.max(logOdds[i], 0) + Math.log1p(Math.exp(-Math.abs(logOdds[i]))));
              }
              return logOdds.clone();
            });
    NDManager m = images.getManager();
    return new LossGradient(m.create(loss), g.logits(), m.create(logOdds), g.gradient());
  }

  @Override
  public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
    int n = batch(images);
    float[] z = forward(pixels(images));
    float[] dz = new float[z.length];
    double[] values = objective.evaluate(z.clone(), classes, dz);
    if (values.length != n) {
      throw new IllegalStateException(
          "the objective returned " + values.length + " values for " + n + " images");
    }
    float[] grad = new float[n * inputs];
    double[] row = new double[inputs];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(row, 0);
      for (int k = 0; k < classes; k++) {
        double d = dz[i * classes + k];
        for (int j = 0; j < inputs; j++) {
          row[j] += d * weight[k * inputs + j];
        }
      }
      for (int j = 0; j < inputs; j++) {
        grad[i * inputs + j] = (float) row[j];
      }
    }
    NDManager m = images.getManager();
    return new ObjectiveGradient(
        m.create(z, new Shape(n, classes)), values, m.create(grad, images.getShape()));
  }

  /** The logits of flat images, (N x classes) row-major, each image on its own. */
  private float[] forward(float[] x) {
    int n = x.length / inputs;
    float[] z = new float[n * classes];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < classes; k++) {
        double s = bias[k];
        for (int j = 0; j < inputs; j++) {
          s += (double) weight[k * inputs + j] * x[i * inputs + j];
        }
        z[i * classes + k] = (float) s;
      }
    }
    return z;
  }

  private float[] pixels(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4
        || !s.slice(1).equals(imageShape)
        || images.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "this model takes (N, "
              + imageShape
              + ") float32, got "
              + s
              + " "
              + images.getDataType());
    }
    return images.toFloatArray();
  }

  private static int batch(NDArray images) {
    return Math.toIntExact(images.getShape().get(0));
  }
}
