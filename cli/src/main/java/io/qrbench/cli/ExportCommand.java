package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.export.OnnxExport;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.runner.Export;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.PluginConfigs;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a model as an ONNX file for deployment on ONNX Runtime (or any ONNX runtime). */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Exports weights as a standard ONNX file: FP32, or for a quantized model a QDQ int8 graph"
            + " whose kernels are the quantizer's own codes and whose activations are calibrated on"
            + " training images. A suite evaluates the file with model id 'onnx'.")
final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--weights",
      required = true,
      paramLabel = "FILE",
      description = "trained or packed weights (.params, .qrbq)")
  Path weights;

  @Option(
      names = "--model",
      paramLabel = "YAML",
      description = "the model, e.g. '{id: resnet-cifar, depth: 20}' (default: the weights' own)")
  String model;

  @Option(
      names = "--quantizer",
      paramLabel = "YAML",
      description =
          "the quantizer, e.g. twn or '{id: ttq, granularity: channel}' (default: the weights' own)")
  String quantizer;

  @Option(
      names = "--precision",
      paramLabel = "fp32|int8",
      description =
          "the graph's numbers (default: int8 for a quantized model, fp32 for full precision)")
  String precision;

  @Option(
      names = "--calibration",
      paramLabel = "N",
      defaultValue = "512",
      description =
          "training images to calibrate int8 activation ranges on (default: ${DEFAULT-VALUE})")
  int calibration;

  @Option(
      names = "--dataset",
      paramLabel = "YAML",
      description = "the calibration dataset (default: the one the weights were trained on)")
  String dataset;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "the .onnx file to write")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PluginRegistry registry = PluginRegistry.discover();
    WeightsMetadata meta = WeightsFile.readMetadata(weights);
    PluginConfig m =
        model != null
            ? PluginConfigs.parse(registry, PluginKind.MODEL, model, "--model")
            : PluginConfigs.of(
                registry,
                PluginKind.MODEL,
                meta.architecture(),
                meta.modelConfig(),
                weights + " (its model)");
    PluginConfig q =
        quantizer != null
            ? PluginConfigs.parse(registry, PluginKind.QUANTIZER, quantizer, "--quantizer")
            : PluginConfigs.of(
                registry,
                PluginKind.QUANTIZER,
                meta.quantizer(),
                meta.quantizerConfig() == null ? Map.of() : meta.quantizerConfig(),
                weights + " (its quantizer)");
    PluginConfig d =
        dataset != null
            ? PluginConfigs.parse(registry, PluginKind.DATASET, dataset, "--dataset")
            : PluginConfigs.of(
                registry, PluginKind.DATASET, meta.dataset(), Map.of(), weights + " (its dataset)");
    OnnxExport.Precision p = precision(q);
    if (calibration < 1) {
      throw new ConfigException("--calibration must be at least 1 image, was " + calibration);
    }
    OnnxExport.Result x =
        Export.run(m, q, weights, d, new OnnxExport.Options(p, calibration, 128), out);
    PrintWriter o = spec.commandLine().getOut();
    if (p == OnnxExport.Precision.INT8) { // an FP32 graph keeps the kernels as they are
      o.printf("%-28s %8s %7s %10s%n", "layer", "codes", "levels", "rel.err");
      for (OnnxExport.Layer l : x.layers()) {
        o.printf(
            "%-28s %8s %7d %10.2e%n",
            l.name(), l.exact() ? "exact" : "rounded", l.levels(), l.relativeError());
      }
    }
    o.printf(
        "%s: %s graph, %d nodes, %,d bytes; %s; the network read out of the model matches its"
            + " logits to %.1e%n",
        out,
        p.label(),
        x.nodes(),
        x.bytes(),
        p == OnnxExport.Precision.INT8
            ? "activations calibrated on " + x.calibrationImages() + " training images"
            : "no calibration",
        x.checkDifference());
    o.flush();
    return Main.OK;
  }

  private OnnxExport.Precision precision(PluginConfig q) {
    if (precision == null) {
      return q.id().equals("fp32") ? OnnxExport.Precision.FP32 : OnnxExport.Precision.INT8;
    }
    return switch (precision.toLowerCase(java.util.Locale.ROOT)) {
      case "fp32" -> OnnxExport.Precision.FP32;
      case "int8" -> OnnxExport.Precision.INT8;
      default ->
          throw new ConfigException("--precision must be fp32 or int8, was '" + precision + "'");
    };
  }
}
