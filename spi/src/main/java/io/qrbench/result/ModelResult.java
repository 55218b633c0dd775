package io.qrbench.result;

import java.util.Map;

/**
 * A model as it was evaluated.
 *
 * @param name its display name
 * @param model the model plugin's id
 * @param modelParams the model's configuration as written
 * @param quantizer the quantizer's id
 * @param quantizerParams the quantizer's configuration as written
 * @param weights where the weights came from: a file, or {@code trained in run}
 * @param parameters trainable parameters
 * @param quantization what the quantizer did, layer by layer
 * @param trainAccuracy top-1 on the training images at the end of in-run training, or null
 * @param cost parameters, bytes and multiply-accumulates per image, or null when not measured
 * @param backend where the model ran: {@code pytorch fp32}, {@code onnxruntime int8} ...; null in
 *     results written before qrbench recorded it
 * @param deployedFrom for a model deployed from another suite model ({@code deploy: {from: ...}}),
 *     that model's name; else null
 */
public record ModelResult(
    String name,
    String model,
    Map<String, Object> modelParams,
    String quantizer,
    Map<String, Object> quantizerParams,
    String weights,
    long parameters,
    QuantizationSummary quantization,
    Double trainAccuracy,
    ModelCost cost,
    String backend,
    String deployedFrom) {

  /** A model result that is not a deployment of another. */
  public ModelResult(
      String name,
      String model,
      Map<String, Object> modelParams,
      String quantizer,
      Map<String, Object> quantizerParams,
      String weights,
      long parameters,
      QuantizationSummary quantization,
      Double trainAccuracy,
      ModelCost cost,
      String backend) {
    this(
        name,
        model,
        modelParams,
        quantizer,
        quantizerParams,
        weights,
        parameters,
        quantization,
        trainAccuracy,
        cost,
        backend,
        null);
  }

  /** A model result without its backend, as results written before it was recorded. */
  public ModelResult(
      String name,
      String model,
      Map<String, Object> modelParams,
      String quantizer,
      Map<String, Object> quantizerParams,
      String weights,
      long parameters,
      QuantizationSummary quantization,
      Double trainAccuracy,
      ModelCost cost) {
    this(
        name,
        model,
        modelParams,
        quantizer,
        quantizerParams,
        weights,
        parameters,
        quantization,
        trainAccuracy,
        cost,
        null,
        null);
  }
}
