package io.qrbench.weights;

import io.qrbench.util.Version;
import io.qrbench.spi.ModelInput;
import io.qrbench.suite.ConfigMaps;
import io.qrbench.suite.PluginConfig;
import java.time.Instant;
import java.util.List;

/** Builds the metadata qrbench writes with weights. */
public final class Metadata {
  private Metadata() {}

  /**
   * Metadata for weights of {@code model} trained with {@code quantizer} on {@code dataset}.
   *
   * @param top1 test top-1 in percent, or null
   * @param top5 test top-5 in percent, or null
   */
  public static WeightsMetadata of(PluginConfig model, PluginConfig quantizer, String dataset, ModelInput input,
      Double top1, Double top5, int epochs, long seed, String notes) {
    return new WeightsMetadata(model.id(), ConfigMaps.of(model.config()), quantizer.id(),
        ConfigMaps.of(quantizer.config()), dataset, List.of(input.channels(), input.height(), input.width()),
        input.classes(), top1, top5, epochs, seed, Version.get(), Instant.now().toString(), null, notes);
  }
}
