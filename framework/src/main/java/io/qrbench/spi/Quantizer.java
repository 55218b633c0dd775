package io.qrbench.spi;

import ai.djl.nn.Block;
import io.qrbench.nn.LayerHook;
import java.util.Optional;

/**
 * Turns a model's trained full-precision weights into their quantized form, in place, for
 * evaluation (post-training quantization), and says what it did.
 *
 * @param <C> the quantizer's configuration record
 */
public interface Quantizer<C extends Record> extends Plugin<C> {

  /**
   * Quantizes the weights of an initialised block in place.
   *
   * @param config the bound configuration
   * @param block the model, with its trained weights loaded
   * @return per-layer facts: which layers were quantized, bits per weight, sparsity, error
   */
  QuantizationSummary quantize(C config, Block block);

  /**
   * For quantization-aware training: the transform each layer's kernel goes through, applied by
   * the model's {@link io.qrbench.nn.Layers}. Empty (the default) trains in full precision.
   */
  default Optional<LayerHook> trainingHook(C config) {
    return Optional.empty();
  }
}
