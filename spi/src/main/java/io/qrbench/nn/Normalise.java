package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Per-channel standardisation {@code (x - mean) / std} of an NCHW batch, inside the model so that
 * every caller (runner, attacks, exported weights) feeds plain [0,1] images. It has no parameters:
 * the statistics are constants of the configuration, not something training may change.
 */
public final class Normalise extends AbstractBlock {
  private final float[] mean;
  private final float[] std;

  /**
   * @param mean per-channel mean
   * @param std per-channel standard deviation
   */
  public Normalise(float[] mean, float[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("mean has " + mean.length + " entries, std " + std.length);
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape perChannel = new Shape(1, mean.length, 1, 1);
    // constants are made in the batch's manager, so they are freed with the batch
    NDArray m = x.getManager().create(mean, perChannel).toType(x.getDataType(), false);
    NDArray s = x.getManager().create(std, perChannel).toType(x.getDataType(), false);
    return new NDList(x.sub(m).div(s));
  }

  /** The per-channel mean subtracted. */
  public float[] mean() {
    return mean.clone();
  }

  /** The per-channel standard deviation divided by. */
  public float[] std() {
    return std.clone();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  public String toString() {
    return "Normalise(channels=" + mean.length + ")";
  }
}
