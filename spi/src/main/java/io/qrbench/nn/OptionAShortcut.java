package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The parameter-free shortcut of He et al. (2016), option A, for a block that halves the resolution
 * and widens the channels: it keeps every second pixel ({@code x[:, :, ::2, ::2]}) and appends zero
 * channels up to {@code channels}. The zeros go half before and half after the input channels (the
 * extra one after, if odd), like the widely used PyTorch reproduction, so weights ported from it
 * line up channel for channel.
 */
public final class OptionAShortcut extends AbstractBlock {
  private static final NDIndex EVERY_SECOND_PIXEL = new NDIndex(":, :, ::2, ::2");
  private final int channels;

  /**
   * @param channels the channels of the output; at least the input's
   */
  public OptionAShortcut(int channels) {
    this.channels = channels;
  }

  /** The channels of the output. */
  public int channels() {
    return channels;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray sub = inputs.singletonOrThrow().get(EVERY_SECOND_PIXEL);
    int pad = channels - Math.toIntExact(sub.getShape().get(1));
    if (pad < 0) {
      throw new IllegalArgumentException(
          "shortcut to " + channels + " channels got " + sub.getShape().get(1));
    }
    int before = pad / 2;
    // (before, after) pairs from the last axis back: width, height, channels
    return new NDList(pad == 0 ? sub : sub.pad(new Shape(0, 0, 0, 0, before, pad - before), 0));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), channels, (in.get(2) + 1) / 2, (in.get(3) + 1) / 2)};
  }

  @Override
  public String toString() {
    return "OptionAShortcut(channels=" + channels + ")";
  }
}
