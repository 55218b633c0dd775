package io.qrbench.runner;

import io.qrbench.export.OnnxExport;
import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import io.qrbench.suite.PluginConfig;
import io.qrbench.weights.MetadataCheck;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code qrbench export}: prepares a model the way a suite does (build, load, quantize) and writes
 * it as an ONNX file, calibrating int8 activations on the training split of {@code dataset}.
 */
public final class Export {
  private Export() {}

  /**
   * What the export did.
   *
   * @param onnx the file and its layers
   * @param quantization what the quantizer did before the export
   */
  public record Result(OnnxExport.Result onnx, QuantizationSummary quantization) {}

  /**
   * Exports {@code weights}, a model of {@code model}'s architecture, quantized with {@code
   * quantizer}.
   */
  public static Result run(
      PluginConfig model,
      PluginConfig quantizer,
      Path weights,
      PluginConfig dataset,
      OnnxExport.Options options,
      Path out) {
    WeightsMetadata meta = WeightsFile.readMetadata(weights);
    ModelInput input =
        new ModelInput(
            meta.inputShape().get(0),
            meta.inputShape().get(1),
            meta.inputShape().get(2),
            meta.classes());
    MetadataCheck.check(weights, meta, model, input);
    try (LoadedModel m =
        ModelPreparation.build("export", model, quantizer, input, Optional.empty())) {
      ModelPreparation.loadWeights(m, model, quantizer, weights);
      QuantizationSummary q = ModelPreparation.quantize(m, quantizer);
      m.cacheKernels(true);
      OnnxExport.Result r =
          OnnxExport.export(
              m,
              quantizer.id(),
              weights.getFileName().toString(),
              options,
              Invoke.open(dataset, Split.TRAIN),
              out);
      return new Result(r, q);
    }
  }
}
