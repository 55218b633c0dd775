package io.qrbench.spi;

import io.qrbench.nn.LayerHook;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import java.util.List;
import java.util.Optional;

/**
 * Turns a model's trained full-precision weights into their quantized form, in place, for
 * evaluation (post-training quantization), and says what it did.
 *
 * @param <C> the quantizer's configuration record
 */
public interface Quantizer<C extends Record> extends Plugin<C> {

  /**
   * Quantizes a model's kernels in place, after its trained weights are loaded. Layers the
   * configuration skips, and every parameter that is not a kernel (BatchNorm, biases), stay as they
   * are. A layer built with this quantizer's training hook carries its transform: use it, so that
   * state learned in quantization-aware training (TTQ's scales) is honoured.
   *
   * @param config the bound configuration
   * @param layers every convolution and dense layer, in model order
   * @return per-layer facts: which layers were quantized, bits per weight, sparsity, error
   */
  QuantizationSummary quantize(C config, List<QuantizableLayer> layers);

  /**
   * The packed form of one layer's kernel, once {@link #quantize} has run: its codes with the
   * {@link io.qrbench.spi.packed.Decoding} that turns them into floats (see {@link
   * io.qrbench.spi.packed.PackedTensor#of}), or empty for a layer kept in full precision. {@code
   * qrbench quantize} stores it and a suite reads it back without knowing the quantizer, so its
   * decoded values must be, bit for bit, the ones {@link #quantize} set. The default keeps every
   * layer in full precision.
   */
  default Optional<io.qrbench.spi.packed.PackedTensor> pack(C config, QuantizableLayer layer) {
    return Optional.empty();
  }

  /**
   * For quantization-aware training: the transform each layer's kernel goes through, applied by the
   * model's {@link io.qrbench.nn.Layers}. Empty (the default) trains in full precision.
   */
  default Optional<LayerHook> trainingHook(C config) {
    return Optional.empty();
  }
}
