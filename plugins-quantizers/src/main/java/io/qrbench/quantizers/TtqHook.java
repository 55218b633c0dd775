package io.qrbench.quantizers;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.nn.WeightTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TTQ's training hook, and the model for a quantizer whose training learns state of its own (here
 * Wp and Wn per layer): one hook per model gives each layer the {@link SkipRule} does not skip its
 * own transform, {@link #prepare}s that state from the loaded weights, and lists it in {@link
 * #parameters()} (saved with the weights) and {@link #trainable()} (given to the optimizer). A
 * quantizer without such state needs none of this: {@link KernelQuantizer}'s straight-through hook
 * already trains through its {@code quantize}.
 */
public final class TtqHook implements LayerHook {
  private final double threshold;
  private final Granularity granularity;
  private final SkipRule skip;
  private final List<TtqTransform> made = new ArrayList<>();

  /**
   * @param threshold TTQ's t: weights within t * max|w| of zero become 0
   * @param granularity one pair of scales per layer or per output channel
   * @param skip the layers kept in full precision
   */
  public TtqHook(double threshold, Granularity granularity, SkipRule skip) {
    this.threshold = threshold;
    this.granularity = granularity;
    this.skip = skip;
  }

  @Override
  public Optional<WeightTransform> transformFor(LayerInfo layer) {
    if (skip.skips(layer)) {
      return Optional.empty();
    }
    TtqTransform t = new TtqTransform(threshold, granularity);
    made.add(t);
    return Optional.of(t);
  }

  @Override
  public void prepare(List<QuantizableLayer> layers, NDManager manager) {
    for (QuantizableLayer layer : layers) {
      if (layer.transform().orElse(null) instanceof TtqTransform t) {
        t.prepare(layer.info().name(), layer.weight().getArray(), manager);
      }
    }
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    for (TtqTransform t : made) {
      if (t.prepared()) {
        out.add(t.positiveScale());
        out.add(t.negativeScale());
        out.add(t.unit());
      }
    }
    return out;
  }

  @Override
  public List<Parameter> trainable() {
    List<Parameter> out = new ArrayList<>();
    for (TtqTransform t : made) {
      if (t.prepared()) {
        out.add(t.positiveScale());
        out.add(t.negativeScale());
      }
    }
    return out;
  }
}
