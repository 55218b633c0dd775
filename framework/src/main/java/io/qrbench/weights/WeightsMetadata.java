package io.qrbench.weights;

import io.qrbench.spi.ModelInput;
import io.qrbench.suite.ConfigMaps;
import io.qrbench.suite.PluginConfig;
import io.qrbench.util.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a weights file says about itself, checked when a suite loads it.
 *
 * @param architecture the model plugin's id, e.g. {@code resnet-cifar}
 * @param modelConfig the model's full configuration, defaults included (e.g. {@code depth: 20})
 * @param quantizer the quantizer the model was trained or quantized with
 * @param quantizerConfig its full configuration
 * @param dataset the dataset it was trained on
 * @param inputShape channels, height, width
 * @param classes number of classes
 * @param testTop1 top-1 accuracy (percent) on the dataset's test split when saved, or null
 * @param testTop5 top-5 accuracy (percent), or null
 * @param epochs epochs trained
 * @param seed the training seed
 * @param qrbenchVersion the qrbench version that wrote it
 * @param createdAt ISO-8601 instant it was written
 * @param sha256 SHA-256 of the parameter bytes that follow the metadata in the file
 * @param notes free text, e.g. the training spec's name
 */
public record WeightsMetadata(
    String architecture,
    Map<String, Object> modelConfig,
    String quantizer,
    Map<String, Object> quantizerConfig,
    String dataset,
    List<Integer> inputShape,
    int classes,
    Double testTop1,
    Double testTop5,
    int epochs,
    long seed,
    String qrbenchVersion,
    String createdAt,
    String sha256,
    String notes) {

  /**
   * Metadata for weights of {@code model} trained with {@code quantizer} on {@code dataset},
   * written now by this qrbench version.
   *
   * @param top1 test top-1 in percent, or null
   * @param top5 test top-5 in percent, or null
   */
  public static WeightsMetadata trained(
      PluginConfig model,
      PluginConfig quantizer,
      String dataset,
      ModelInput input,
      Double top1,
      Double top5,
      int epochs,
      long seed,
      String notes) {
    return new WeightsMetadata(
        model.id(),
        ConfigMaps.of(model.config()),
        quantizer.id(),
        ConfigMaps.of(quantizer.config()),
        dataset,
        List.of(input.channels(), input.height(), input.width()),
        input.classes(),
        top1,
        top5,
        epochs,
        seed,
        Version.get(),
        Instant.now().toString(),
        null,
        notes);
  }

  /** The same metadata with the checksum of the parameter bytes filled in. */
  WeightsMetadata withSha256(String sum) {
    return new WeightsMetadata(
        architecture,
        modelConfig,
        quantizer,
        quantizerConfig,
        dataset,
        inputShape,
        classes,
        testTop1,
        testTop5,
        epochs,
        seed,
        qrbenchVersion,
        createdAt,
        sum,
        notes);
  }

  /** The input shape and class count the weights were trained for. */
  public ModelInput input() {
    return new ModelInput(inputShape().get(0), inputShape().get(1), inputShape().get(2), classes());
  }
}
