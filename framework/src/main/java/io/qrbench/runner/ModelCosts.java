package io.qrbench.runner;

import io.qrbench.model.LoadedModel;
import io.qrbench.result.ModelCost;
import io.qrbench.result.QuantizationSummary;
import java.util.Map;

/** What a prepared model costs to store and to run: parameters, bytes and multiply-accumulates. */
final class ModelCosts {
  /** Layers of at most this many bits per weight are ternary or binary: adds, not multiplies. */
  static final double LOW_BIT = 2;

  private ModelCosts() {}

  /**
   * The cost of {@code model} as {@code q} left it. MACs are unknown (-1, share 0) for an imported
   * model, whose layers qrbench cannot see.
   */
  static ModelCost of(LoadedModel model, QuantizationSummary q) {
    long parameters = model.parameterCount();
    // kernels as the quantizer packs them; everything else (BatchNorm, biases) stays 32-bit
    long packed = q.packedBytes() + 4 * Math.max(0, parameters - q.parameters());
    Map<String, Long> macs = model.macsPerImage();
    long total = macs.values().stream().mapToLong(Long::longValue).sum();
    long lowBit =
        q.layers().stream()
            .filter(l -> l.quantized() && l.bitsPerWeight() <= LOW_BIT)
            .mapToLong(l -> macs.getOrDefault(l.name(), 0L))
            .sum();
    return new ModelCost(
        parameters,
        4 * parameters,
        packed,
        q.zeroFraction(),
        macs.isEmpty() ? -1 : total,
        total == 0 ? 0 : (double) lowBit / total);
  }
}
