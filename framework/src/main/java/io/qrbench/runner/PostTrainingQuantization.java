package io.qrbench.runner;

import ai.djl.nn.Parameter;
import io.qrbench.PluginException;
import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.suite.PluginConfig;
import io.qrbench.weights.MetadataCheck;
import io.qrbench.weights.PackedWeights;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code qrbench quantize}: quantizes a trained model's weights and writes them packed, with
 * metadata that names the quantizer, so a suite can evaluate the file as it is.
 */
public final class PostTrainingQuantization {
  private PostTrainingQuantization() {}

  /**
   * What quantization produced.
   *
   * @param summary per-layer facts
   * @param metadata the packed file's metadata
   */
  public record Result(QuantizationSummary summary, WeightsMetadata metadata) {}

  /**
   * Quantizes {@code weights} (a model of {@code model}'s architecture) with {@code quantizer} and
   * writes the packed result to {@code out}.
   */
  public static Result run(PluginConfig model, PluginConfig quantizer, Path weights, Path out)
      throws IOException {
    WeightsMetadata meta = WeightsFile.readMetadata(weights);
    ModelInput input = meta.input();
    MetadataCheck.check(
        weights, meta, model, input); // before building: weights of another model fail fast
    try (LoadedModel m =
        ModelPreparation.build("quantize", model, quantizer, input, Optional.empty())) {
      ModelPreparation.loadWeights(m, model, quantizer, weights);
      QuantizationSummary summary = ModelPreparation.quantize(m, quantizer);
      Map<Parameter, PackedTensor> packed = new IdentityHashMap<>();
      for (QuantizableLayer layer : m.quantizableLayers()) {
        Invoke.pack(quantizer, layer)
            .ifPresent(t -> packed.put(layer.weight(), checked(quantizer, layer, t)));
      }
      WeightsMetadata quantized =
          new WeightsMetadata(
              meta.architecture(),
              meta.modelConfig(),
              quantizer.id(),
              io.qrbench.suite.ConfigMaps.of(quantizer.config()),
              meta.dataset(),
              meta.inputShape(),
              meta.classes(),
              null,
              null,
              meta.epochs(),
              meta.seed(),
              io.qrbench.util.Version.get(),
              Instant.now().toString(),
              null,
              "post-training " + quantizer.id() + " of " + weights.getFileName());
      return new Result(
          summary, PackedWeights.save(m.block(), packed, m.hook().parameters(), quantized, out));
    }
  }

  /**
   * {@code t} once it decodes, bit for bit, to the kernel the quantizer left in the layer: a packed
   * file must read back as the model that was evaluated, whoever wrote the quantizer.
   *
   * @throws PluginException naming the quantizer, the layer and the first element that differs
   */
  static PackedTensor checked(PluginConfig quantizer, QuantizableLayer layer, PackedTensor t) {
    float[] expected = layer.weight().getArray().toFloatArray();
    float[] decoded;
    try {
      decoded = t.values();
    } catch (IllegalArgumentException e) {
      throw new PluginException(
          "quantizer "
              + quantizer.id()
              + " packed layer "
              + layer.info().name()
              + " into codes that do not decode: "
              + e.getMessage(),
          e);
    }
    if (decoded.length != expected.length) {
      throw new PluginException(
          "quantizer "
              + quantizer.id()
              + " packed layer "
              + layer.info().name()
              + " as "
              + decoded.length
              + " values, the layer has "
              + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(decoded[i]) != Float.floatToRawIntBits(expected[i])) {
        throw new PluginException(
            "quantizer "
                + quantizer.id()
                + " packed layer "
                + layer.info().name()
                + " so that element "
                + i
                + " decodes to "
                + decoded[i]
                + ", but quantizing set it to "
                + expected[i]
                + "; a quantizer's values must be the decoding of its codes (Quantized.of does that)");
      }
    }
    return t;
  }
}
