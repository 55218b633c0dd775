package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.PerturbationContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link PerturbationContext} over given images, for testing a perturbation without the runner.
 * As in a real run, the seed of an image depends only on a run seed and the image's index in the
 * dataset ({@code firstIndex + i}), never on the batch it is in; the batch's manager is the images'
 * manager; measurements recorded by the perturbation are kept for the test to read.
 */
public final class FakePerturbationContext implements PerturbationContext {
  private final NDArray images;
  private final NDArray labels;
  private final int firstIndex;
  private final long runSeed;
  private final ModelUnderTest model;
  private final Map<String, float[]> recorded = new LinkedHashMap<>();

  /**
   * @param images the clean batch, (N, C, H, W) float32 in [0,1]; its manager is the batch's
   * @param labels (N) int32 labels
   * @param firstIndex the dataset index of the batch's first image
   * @param runSeed the seed of the run (the suite seed, perturbation and level, in a real run)
   * @param model the model attacks take gradients through; null for perturbations that ignore it
   */
  public FakePerturbationContext(
      NDArray images, NDArray labels, int firstIndex, long runSeed, ModelUnderTest model) {
    if (images.getShape().dimension() != 4
        || labels.getShape().dimension() != 1
        || labels.getShape().get(0) != images.getShape().get(0)) {
      throw new IllegalArgumentException(
          "images must be (N, C, H, W) and labels (N), got "
              + images.getShape()
              + " and "
              + labels.getShape());
    }
    this.images = images;
    this.labels = labels;
    this.firstIndex = firstIndex;
    this.runSeed = runSeed;
    this.model = model;
  }

  /**
   * The seed of the image at {@code index} in the dataset: a 64-bit mix (SplitMix64's finaliser) of
   * the run seed and the index, so that neighbouring images get unrelated seeds.
   */
  public static long seedOf(long runSeed, long index) {
    long z = runSeed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public NDArray images() {
    return images;
  }

  @Override
  public NDArray labels() {
    return labels;
  }

  @Override
  public int firstIndex() {
    return firstIndex;
  }

  @Override
  public long seed(int i) {
    if (i < 0 || i >= batchSize()) {
      throw new IndexOutOfBoundsException("image " + i + " of a batch of " + batchSize());
    }
    return seedOf(runSeed, (long) firstIndex + i);
  }

  @Override
  public ModelUnderTest model() {
    if (model == null) {
      throw new IllegalStateException(
          "this test gave the perturbation no model; pass one to the context");
    }
    return model;
  }

  @Override
  public NDManager manager() {
    return images.getManager();
  }

  /** Keeps a copy; like the runner, refuses a second value for one metric or a wrong length. */
  @Override
  public void record(String metric, float[] perImage) {
    if (perImage.length != batchSize()) {
      throw new IllegalArgumentException(
          "'" + metric + "': " + perImage.length + " values for " + batchSize() + " images");
    }
    if (recorded.putIfAbsent(metric, perImage.clone()) != null) {
      throw new IllegalStateException("'" + metric + "' recorded twice for one batch");
    }
  }

  /** What the perturbation recorded, by metric, in the order it did. */
  public Map<String, float[]> recorded() {
    return Collections.unmodifiableMap(recorded);
  }
}
