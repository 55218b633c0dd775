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
   * Builds a new, uninitialised block.
   *
   * @param config the bound configuration
   * @param input what the block will be fed and must predict
   * @return a block whose forward pass maps (N, C, H, W) in [0,1] to (N, classes) logits
   */
  Block build(C config, ModelInput input);
}
