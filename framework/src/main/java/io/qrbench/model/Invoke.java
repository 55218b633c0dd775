package io.qrbench.model;

import ai.djl.nn.Block;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelProvider;
import io.qrbench.spi.Quantizer;
import io.qrbench.spi.Split;
import io.qrbench.suite.PluginConfig;
import java.util.List;
import java.util.Optional;

/**
 * Calls a plugin with the configuration a suite bound for it. A {@link PluginConfig} holds a {@code
 * Plugin<?>} and a {@code Record}; these methods capture the plugin's type parameter so the call is
 * checked once, here.
 */
public final class Invoke {
  private Invoke() {}

  /** Opens a split of a suite's dataset. */
  public static ImageDataset open(PluginConfig dataset, Split split) {
    return open(dataset.plugin(DatasetProvider.class), dataset.config(), split);
  }

  /** Builds a suite's model. */
  public static Block build(PluginConfig model, ModelContext context) {
    return build(model.plugin(ModelProvider.class), model.config(), context);
  }

  /** The quantizer's training hook, if it has one. */
  public static Optional<LayerHook> trainingHook(PluginConfig quantizer) {
    return trainingHook(quantizer.plugin(Quantizer.class), quantizer.config());
  }

  /** Quantizes a model's kernels in place. */
  public static QuantizationSummary quantize(
      PluginConfig quantizer, List<QuantizableLayer> layers) {
    return quantize(quantizer.plugin(Quantizer.class), quantizer.config(), layers);
  }

  /** The packed form of a layer's kernel, if the quantizer packs it. */
  public static Optional<io.qrbench.spi.packed.PackedTensor> pack(
      PluginConfig quantizer, QuantizableLayer layer) {
    return pack(quantizer.plugin(Quantizer.class), quantizer.config(), layer);
  }

  private static <C extends Record> Optional<io.qrbench.spi.packed.PackedTensor> pack(
      Quantizer<C> q, Record config, QuantizableLayer layer) {
    return q.pack(q.configType().cast(config), layer);
  }

  private static <C extends Record> ImageDataset open(
      DatasetProvider<C> p, Record config, Split split) {
    return p.open(p.configType().cast(config), split);
  }

  private static <C extends Record> Block build(
      ModelProvider<C> p, Record config, ModelContext ctx) {
    return p.build(p.configType().cast(config), ctx);
  }

  private static <C extends Record> Optional<LayerHook> trainingHook(
      Quantizer<C> q, Record config) {
    return q.trainingHook(q.configType().cast(config));
  }

  private static <C extends Record> QuantizationSummary quantize(
      Quantizer<C> q, Record config, List<QuantizableLayer> layers) {
    return q.quantize(q.configType().cast(config), layers);
  }
}
