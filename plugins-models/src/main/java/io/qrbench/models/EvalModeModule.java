package io.qrbench.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An imported TorchScript module run in eval mode with autograd on, whatever the caller's {@code
 * training} flag. DJL's PyTorch symbol block couples the two: an inference-mode pass runs the
 * module under {@code c10::InferenceMode}, so an attack's input gradient cannot flow, and a change
 * of the flag switches the module's mode (train mode: BatchNorm batch statistics, dropout). But DJL
 * puts a module loaded from a file in eval mode and starts the block's flag at "training", so
 * always passing {@code training = true} keeps the module in eval mode with autograd on. {@code
 * TorchScriptModelTest} checks both (a module saved in train mode reproduces its eval-mode logits;
 * input gradients flow), so a DJL upgrade that changes either fails loudly. The module's parameters
 * are frozen, so plain inference builds no graph.
 */
final class EvalModeModule extends AbstractBlock {
  private final Block module;
  private final int classes;

  /**
   * @param module the TorchScript module, freshly loaded from a file and never run since
   * @param classes the logits it returns per image
   */
  EvalModeModule(Block module, int classes) {
    this.module = addChildBlock("torchscript", module);
    this.classes = classes;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return module.forward(store, inputs, true, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    module.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    // not the module's own: it would run an inference-mode pass, which flips the module's mode flag
    return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
  }
}
