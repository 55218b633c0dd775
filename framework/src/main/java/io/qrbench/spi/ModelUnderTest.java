package io.qrbench.spi;

import ai.djl.ndarray.NDArray;

/**
 * The handle a perturbation gets on the model being benchmarked. It always runs the model in
 * inference mode (BatchNorm uses its running statistics) and never changes the model: gradients
 * are taken with respect to the input only, and nothing is accumulated on the model's parameters.
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
   * The logits for a batch.
   *
   * @param images (N, C, H, W) float32 in [0,1]
   * @return (N, classes) logits
   */
  NDArray logits(NDArray images);

  /**
   * The cross-entropy loss of each image with respect to {@code labels}, and its gradient with
   * respect to the images. Each image's gradient is the gradient of its own loss (losses are
   * summed, not averaged, over the batch).
   *
   * @param images (N, C, H, W) float32 in [0,1]
   * @param labels (N) integer labels
   * @return the per-image losses and the input gradient
   */
  LossGradient lossGradient(NDArray images, NDArray labels);

  /**
   * A per-image loss and the gradient of that loss with respect to the input.
   *
   * @param loss (N) cross-entropy of each image
   * @param logits (N, classes) logits of the forward pass that produced the loss
   * @param gradient (N, C, H, W) d loss / d images
   */
  record LossGradient(NDArray loss, NDArray logits, NDArray gradient) {}
}
