package io.qrbench.quantizers;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.WeightTransform;
import io.qrbench.quant.Granularity;
import io.qrbench.nn.QuantizableLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Gives each quantized layer of one model its own {@link TtqTransform} and owns their scales. */
final class TtqHook implements LayerHook {
  private final double threshold;
  private final Granularity granularity;
  private final SkipRule skip;
  private final List<TtqTransform> made = new ArrayList<>();

  TtqHook(double threshold, Granularity granularity, SkipRule skip) {
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
