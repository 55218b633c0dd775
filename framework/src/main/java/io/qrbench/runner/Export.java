package io.qrbench.runner;

import io.qrbench.export.OnnxExport;
import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
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
   * A model prepared as a suite prepares it (built, weights loaded, quantized, kernels final), for
   * tools that time or export it; the caller closes it.
   */
  public static LoadedModel prepare(PluginConfig model, PluginConfig quantizer, Path weights) {
    WeightsMetadata meta = WeightsFile.readMetadata(weights);
    ModelInput input = meta.input();
    MetadataCheck.check(weights, meta, model, input);
    LoadedModel m =
        ModelPreparation.build(
            weights.getFileName().toString(), model, quantizer, input, Optional.empty());
    try {
      ModelPreparation.loadWeights(m, model, quantizer, weights);
      ModelPreparation.quantize(m, quantizer);
      m.cacheKernels(true);
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Exports {@code weights}, a model of {@code model}'s architecture, quantized with {@code
   * quantizer}.
   */
  public static OnnxExport.Result run(
      PluginConfig model,
      PluginConfig quantizer,
      Path weights,
      PluginConfig dataset,
      OnnxExport.Options options,
      Path out) {
    try (LoadedModel m = prepare(model, quantizer, weights)) {
      return OnnxExport.export(
          m,
          quantizer.id(),
          weights.getFileName().toString(),
          options,
          Invoke.open(dataset, Split.TRAIN),
          out);
    }
  }
}
