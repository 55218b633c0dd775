package io.qrbench.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * One batch handed to a perturbation: the clean images, their labels, a seeded random source for
 * each image, and a handle on the model under test for perturbations that need gradients.
 *
 * <p>The random source of an image depends only on the suite seed, the perturbation and its level,
 * and the image's index in the dataset: every model sees the same noisy image, whatever the batch
 * size.
 */
public interface PerturbationContext {

  /**
   * The clean batch, (N, C, H, W) float32: in [0,1], or, for a perturbation a suite applies in
   * another space ({@code space: normalised}, {@code pixel255}), the images as that space writes
   * them. Do not modify it.
   */
  NDArray images();

  /** The true labels, (N) int32. */
  NDArray labels();

  /** Number of images in the batch. */
  default int batchSize() {
    return Math.toIntExact(images().getShape().get(0));
  }

  /** The index in the dataset of the batch's first image. */
  int firstIndex();

  /**
   * The seed of image {@code i} of this batch (0-based within the batch). Use it through {@link
   * #random(int)} unless a plugin needs the raw number.
   */
  long seed(int i);

  /** A fresh random source for image {@code i} of this batch, seeded with {@link #seed(int)}. */
  default SplittableRandom random(int i) {
    return new SplittableRandom(seed(i));
  }

  /** The model under test; attacks take loss gradients through it, random noises ignore it. */
  ModelUnderTest model();

  /** The batch's manager: arrays made here are freed when the batch ends. */
  NDManager manager();

  /**
   * Records a measurement of each image of the batch (e.g. 1 if an attack fooled it, else 0); the
   * case's results hold its mean over all images under {@code metric}. Call it at most once per
   * batch and metric.
   */
  void record(String metric, float[] perImage);

  /**
   * The lowest value image {@code i}'s perturbed values may take: 0 for [0,1] images. In another
   * space scikit-image's {@code random_noise} rule: -1 when the image has a negative value, else 0.
   * Random noises clip to {@code [clipLow(i), clipHigh(i)]} and put pepper at {@code clipLow(i)}.
   * Since SPI 1.3.
   */
  default float clipLow(int i) {
    return 0f;
  }

  /** The highest value image {@code i}'s perturbed values may take: 1. Since SPI 1.3. */
  default float clipHigh(int i) {
    return 1f;
  }
}
