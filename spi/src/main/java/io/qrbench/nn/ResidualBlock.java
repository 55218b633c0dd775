package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code relu(main(x) + shortcut(x))}: the residual unit of a ResNet. */
public final class ResidualBlock extends AbstractBlock {
  private final Block main;
  private final Block shortcut;

  /**
   * @param main the residual branch
   * @param shortcut the identity or projection branch
   */
  public ResidualBlock(Block main, Block shortcut) {
    this.main = addChildBlock("main", main);
    this.shortcut = addChildBlock("shortcut", shortcut);
  }

  /** The residual branch. */
  public Block main() {
    return main;
  }

  /** The shortcut branch. */
  public Block shortcut() {
    return shortcut;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray m = main.forward(store, inputs, training, params).singletonOrThrow();
    NDArray s = shortcut.forward(store, inputs, training, params).singletonOrThrow();
    return new NDList(Activation.relu(m.add(s)));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    main.initialize(manager, dataType, inputShapes);
    shortcut.initialize(manager, dataType, inputShapes);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return main.getOutputShapes(inputShapes);
  }
}
