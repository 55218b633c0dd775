package io.qrbench.result;

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
   * @param packedBytes bytes in packed storage: codes plus scales (4 per weight when full
   *     precision)
   */
  public record Layer(
      String name,
      long parameters,
      boolean quantized,
      double bitsPerWeight,
      double zeroFraction,
      double relativeError,
      long packedBytes) {}

  /** Total weights over all layers. */
  public long parameters() {
    return layers.stream().mapToLong(Layer::parameters).sum();
  }

  /** Bytes of all kernels in packed storage. */
  public long packedBytes() {
    return layers.stream().mapToLong(Layer::packedBytes).sum();
  }

  /** Bytes of all kernels as 32-bit floats. */
  public long fp32Bytes() {
    return 4 * parameters();
  }

  /** Fraction of all kernel weights that are exactly zero. */
  public double zeroFraction() {
    long n = parameters();
    return n == 0
        ? 0
        : layers.stream().mapToDouble(l -> l.zeroFraction() * l.parameters()).sum() / n;
  }

  /** Weighted mean storage bits per weight over all layers. */
  public double bitsPerWeight() {
    long n = parameters();
    return n == 0
        ? 32
        : layers.stream().mapToDouble(l -> l.bitsPerWeight() * l.parameters()).sum() / n;
  }
}
