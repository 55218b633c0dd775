package io.qrbench.spi;

import ai.djl.nn.Block;

/**
 * Builds classifiers. The block takes RGB (or grey) images in [0,1], NCHW, float32, and returns
 * logits of shape (N, classes); any normalisation lives inside the block. The runner initialises
 * the block, loads weights, applies the quantizer and owns the block's lifetime.
 *
 * @param <C> the model's configuration record
 */
public interface ModelProvider<C extends Record> extends Plugin<C> {

  /**
   * Builds a new block. Its convolution and dense layers must come from {@code context.layers()}.
   * Usually the block is uninitialised and the runner initialises it and loads the weights; a
   * provider that imports a ready model returns it initialised (see {@link #readsOwnWeights()}).
   *
   * @param config the bound configuration
   * @param context the input shape, the layer factory and the model's manager
   * @return a block whose forward pass maps (N, C, H, W) in [0,1] to (N, classes) logits
   */
  Block build(C config, ModelContext context);

  /**
   * True when the provider reads the suite's {@code weights} file itself, in {@link #build} (an
   * imported TorchScript file, say): the runner then neither initialises the block nor loads
   * weights into it, and a suite must name the file.
   */
  default boolean readsOwnWeights() {
    return false;
  }

  /**
   * False when the models built from {@code config} give no gradients (a deployed runtime such as
   * ONNX Runtime): the suite loader then refuses gradient attacks on them that do not craft on a
   * differentiable {@code source:} model. Since SPI 1.1.
   *
   * @param config the bound configuration
   */
  default boolean differentiable(C config) {
    return true;
  }
}
