package io.qrbench.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.PerturbationContext;

/**
 * A perturbation context for plugin tests: image i of the batch gets seed {@code baseSeed + first +
 * i}, so tests can check that draws depend on the image, not on the batch.
 */
public record SimpleContext(
    NDArray images,
    NDArray labels,
    int firstIndex,
    long baseSeed,
    ModelUnderTest model,
    NDManager manager,
    java.util.Map<String, float[]> recorded)
    implements PerturbationContext {

  /** A context whose recorded measurements land in a fresh map. */
  public SimpleContext(
      NDArray images,
      NDArray labels,
      int firstIndex,
      long baseSeed,
      ModelUnderTest model,
      NDManager manager) {
    this(images, labels, firstIndex, baseSeed, model, manager, new java.util.HashMap<>());
  }

  /** A context without a model, for perturbations that ignore it. */
  public static SimpleContext of(NDArray images, int firstIndex, long baseSeed) {
    int n = Math.toIntExact(images.getShape().get(0));
    return new SimpleContext(
        images,
        images
            .getManager()
            .zeros(new ai.djl.ndarray.types.Shape(n), ai.djl.ndarray.types.DataType.INT32),
        firstIndex,
        baseSeed,
        null,
        images.getManager());
  }

  @Override
  public void record(String metric, float[] perImage) {
    recorded.put(metric, perImage.clone());
  }

  @Override
  public long seed(int i) {
    return baseSeed + firstIndex + i;
  }
}
