package io.qrbench.cli;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.runner.PostTrainingQuantization;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.PluginConfigs;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Post-training quantization from the command line, writing packed weights. */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Quantizes trained weights and writes them packed (ternary 1.6 bits/weight, binary 1, k-bit k), "
            + "with metadata; a suite can name the file in 'weights'.")
final class QuantizeCommand implements Callable<Integer> {
  @Option(
      names = "--weights",
      required = true,
      paramLabel = "FILE",
      description = "trained weights (.params)")
  Path weights;

  @Option(
      names = "--quantizer",
      required = true,
      paramLabel = "YAML",
      description = "a quantizer id or YAML mapping, e.g. twn or '{id: twn, delta: optimal}'")
  String quantizer;

  @Option(
      names = "--model",
      paramLabel = "YAML",
      description =
          "the model, e.g. '{id: resnet-cifar, depth: 20}' (default: the one the weights record)")
  String model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "the packed weights file to write")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
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
    PluginConfig q = PluginConfigs.parse(registry, PluginKind.QUANTIZER, quantizer, "--quantizer");
    PostTrainingQuantization.Result r = PostTrainingQuantization.run(m, q, weights, out);
    PrintWriter o = spec.commandLine().getOut();
    QuantizationSummary s = r.summary();
    o.printf(
        "%-28s %10s %6s %8s %8s %10s%n", "layer", "weights", "bits", "zeros", "rel.err", "bytes");
    for (QuantizationSummary.Layer l : s.layers()) {
      o.printf(
          "%-28s %,10d %6.2f %7.1f%% %8.4f %,10d%s%n",
          l.name(),
          l.parameters(),
          l.bitsPerWeight(),
          100 * l.zeroFraction(),
          l.relativeError(),
          l.packedBytes(),
          l.quantized() ? "" : "  (full precision)");
    }
    o.printf(
        "kernels: %,d weights, %.2f bits/weight, %,d bytes packed vs %,d fp32 (%.1fx smaller), zeros %.1f%%%n",
        s.parameters(),
        s.bitsPerWeight(),
        s.packedBytes(),
        s.fp32Bytes(),
        (double) s.fp32Bytes() / s.packedBytes(),
        100 * s.zeroFraction());
    o.printf("file: %s, %,d bytes (from %,d)%n", out, Files.size(out), Files.size(weights));
    o.flush();
    return Main.OK;
  }
}
