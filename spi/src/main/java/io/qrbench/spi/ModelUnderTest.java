package io.qrbench.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Optional;

/**
 * The handle a perturbation gets on the model being benchmarked. It always runs the model in
 * inference mode (BatchNorm uses its running statistics) and never changes the model: gradients are
 * taken with respect to the input only, and nothing is accumulated on the model's parameters.
 *
 * <p>Arrays passed in are read, not modified; arrays returned belong to the manager of the input,
 * so they are freed with the batch.
 */
public interface ModelUnderTest {

  /** The model's display name in the suite. */
  String name();

  /** Number of classes the model predicts. */
  int classes();

  /**
   * The per-channel standardisation {@code (x - mean) / std} the model applies to its [0,1] input
   * first, when it has one: what a suite's {@code space: normalised} perturbs in, as code that adds
   * noise after torchvision's {@code Normalize} does. Empty by default (no standardisation, or one
   * the model does not expose). Since SPI 1.3.
   */
  default Optional<Standardisation> standardisation() {
    return Optional.empty();
  }

  /**
   * Per-channel mean and standard deviation, one entry per input channel.
   *
   * @param mean subtracted from each channel
   * @param std each channel is divided by it; every entry is positive
   */
  record Standardisation(float[] mean, float[] std) {
    public Standardisation {
      if (mean.length != std.length || mean.length == 0) {
        throw new IllegalArgumentException(
            "mean has " + mean.length + " entries, std " + std.length);
      }
      for (float v : std) {
        if (!(v > 0f)) {
          throw new IllegalArgumentException("std entries must be > 0, found " + v);
        }
      }
      mean = mean.clone();
      std = std.clone();
    }

    @Override
    public float[] mean() {
      return mean.clone();
    }

    @Override
    public float[] std() {
      return std.clone();
    }
  }

  /**
   * The logits for a batch.
   *
   * @param images (N, C, H, W) float32 in [0,1]
   * @return (N, classes) logits
   */
  NDArray logits(NDArray images);

  /**
   * The cross-entropy loss of each image with respect to {@code labels}, its gradient with respect
   * to the images, and the direction of that gradient in a form that cannot underflow. Each image's
   * gradient is the gradient of its own loss (losses are summed, not averaged, over the batch).
   *
   * <p>Attacks should step along {@link LossGradient#direction()} and compare images by {@link
   * LossGradient#logOdds()}: for an image the model is sure of, the float32 softmax is exactly
   * one-hot, so the cross-entropy rounds to a constant and its gradient to zero or to denormals
   * whose signs change with the summation order (another thread count, another machine).
   *
   * @param images (N, C, H, W) float32 in [0,1]
   * @param labels (N) integer labels
   * @return the per-image losses, the input gradient and its direction
   */
  LossGradient lossGradient(NDArray images, NDArray labels);

  /**
   * The input gradient of an objective of each image's logits that the caller defines (a margin,
   * the DLR loss, the difference of two logits): one forward pass, the objective and its gradient
   * with respect to the logits computed by {@code objective} from that pass's logits (in Java, so
   * in any precision), then one backward pass that carries them to the images. Each image's
   * gradient is that of its own objective.
   *
   * @param images (N, C, H, W) float32 in [0,1]
   * @param objective the objective of each image and its gradient with respect to the logits
   * @return the logits, the objective's values and its input gradient
   */
  ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective);

  /**
   * A function of each image's logits whose gradient with respect to the images an attack wants.
   */
  @FunctionalInterface
  interface LogitObjective {
    /**
     * @param logits (N x classes) row-major, from one forward pass
     * @param classes the number of classes
     * @param dLogits (N x classes) row-major, to be filled with d objective_i / d logits_i
     * @return the objective of each image, N values
     */
    double[] evaluate(float[] logits, int classes, float[] dLogits);
  }

  /**
   * What {@link #objectiveGradient} computed.
   *
   * @param logits (N, classes) logits of the forward pass
   * @param values the objective of each image, as the objective returned it
   * @param gradient (N, C, H, W) float32 d objective_i / d image_i
   */
  record ObjectiveGradient(NDArray logits, double[] values, NDArray gradient) {}

  /**
   * A per-image loss and its gradient with respect to the input. With z the logits and y the label,
   * logOdds = log((1 - p_y) / p_y) = logsumexp over j != y of z_j, minus z_y; the cross-entropy is
   * log(1 + e^logOdds), increasing in it, and its gradient is (1 - p_y) times the direction, image
   * by image.
   *
   * @param loss (N) float32 cross-entropy of each image, computed from the logits in double
   *     precision
   * @param logits (N, classes) logits of the forward pass that produced the loss
   * @param logOdds (N) float64 log-odds against the true label: orders images as the loss does, and
   *     unlike the loss never rounds to a constant for confident images
   * @param direction (N, C, H, W) float32 d logOdds / d images: a positive multiple of d loss / d
   *     images, image by image, carried back from the logits as q - onehot(y) (q the softmax over
   *     the other classes), which has an entry of -1 however confident the model is
   */
  record LossGradient(NDArray loss, NDArray logits, NDArray logOdds, NDArray direction) {

    /**
     * d loss / d images, (N, C, H, W) float32, computed when asked: (1 - p_y) direction, which is
     * zero for images whose 1 - p_y is below float32's range. Steps that use only its sign or its
     * normalised value should use {@link #direction()}.
     */
    public NDArray gradient() {
      long[] column = new long[direction.getShape().dimension()];
      Arrays.fill(column, 1);
      column[0] = direction.getShape().get(0);
      try (NDScope scope = new NDScope()) {
        // 1 - p_y = 1 / (1 + e^-logOdds): neither cancels nor loses range in double precision
        NDArray errorProbability =
            logOdds.neg().exp().add(1).pow(-1).toType(direction.getDataType(), false);
        NDArray out = direction.mul(errorProbability.reshape(new Shape(column)));
        NDScope.unregister(out);
        return out;
      }
    }
  }
}
