package io.qrbench.spi;

import java.util.List;

/**
 * What a quantizer did to a model, layer by layer.
 *
 * @param layers one entry per weight tensor the quantizer considered
 */
public record QuantizationSummary(List<Layer> layers) {
  public QuantizationSummary {
    layers = List.copyOf(layers);
  }

  /**
   * One weight tensor.
   *
   * @param name the parameter's path in the block
   * @param parameters number of weights
   * @param quantized whether the quantizer changed it (false: kept in full precision)
   * @param bitsPerWeight storage bits per weight, 32 for full precision
   * @param zeroFraction fraction of weights that are exactly zero after quantization
   * @param relativeError ||W - Q(W)||^2 / ||W||^2, 0 for full precision
   */
  public record Layer(
      String name,
      long parameters,
      boolean quantized,
      double bitsPerWeight,
      double zeroFraction,
      double relativeError) {}

  /** Total weights over all layers. */
  public long parameters() {
    return layers.stream().mapToLong(Layer::parameters).sum();
  }

  /** Weighted mean storage bits per weight over all layers. */
  public double bitsPerWeight() {
    long n = parameters();
    return n == 0
        ? 32
        : layers.stream().mapToDouble(l -> l.bitsPerWeight() * l.parameters()).sum() / n;
  }
}
