package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.ModelUnderTest;
import java.nio.FloatBuffer;

/**
 * A linear classifier z = W x + b computed in Java double precision, so its logits and gradients
 * are known exactly and do not depend on the batch. It counts the images it is asked about and can
 * refuse gradients, as a model without a backward pass would.
 */
final class JavaLinearModel implements ModelUnderTest {
  final double[][] weights;
  final double[] bias;
  private final boolean gradients;

  /** Images passed to {@link #logits} so far, over all calls. */
  long imagesQueried;

  /** Calls of {@link #logits} so far. */
  int calls;

  /** Calls of {@link #objectiveGradient} so far. */
  int gradientCalls;

  JavaLinearModel(double[][] weights, double[] bias, boolean gradients) {
    this.weights = weights;
    this.bias = bias;
    this.gradients = gradients;
  }

  @Override
  public String name() {
    return "java-linear";
  }

  @Override
  public int classes() {
    return bias.length;
  }

  @Override
  public NDArray logits(NDArray images) {
    calls++;
    int n = Math.toIntExact(images.getShape().get(0));
    imagesQueried += n;
    return images
        .getManager()
        .create(FloatBuffer.wrap(logits(images.toFloatArray(), n)), new Shape(n, classes()));
  }

  float[] logits(float[] x, int n) {
    int k = classes();
    int d = weights[0].length;
    float[] z = new float[n * k];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        double s = bias[c];
        for (int j = 0; j < d; j++) {
          s += weights[c][j] * x[i * d + j];
        }
        z[i * k + c] = (float) s;
      }
    }
    return z;
  }

  @Override
  public LossGradient lossGradient(NDArray images, NDArray labels) {
    throw new UnsupportedOperationException("this model has no gradient");
  }

  @Override
  public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
    gradientCalls++;
    if (!gradients) {
      throw new UnsupportedOperationException("this model has no gradient");
    }
    int n = Math.toIntExact(images.getShape().get(0));
    int k = classes();
    int d = weights[0].length;
    float[] z = logits(images.toFloatArray(), n);
    float[] dz = new float[n * k];
    double[] values = objective.evaluate(z, k, dz);
    float[] g = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int c = 0; c < k; c++) {
          s += dz[i * k + c] * weights[c][j];
        }
        g[i * d + j] = (float) s;
      }
    }
    return new ObjectiveGradient(
        images.getManager().create(FloatBuffer.wrap(z), new Shape(n, k)),
        values,
        images.getManager().create(FloatBuffer.wrap(g), images.getShape()));
  }
}
