package io.qrbench.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** Finds the weight tensors a quantizer works on: convolution and dense kernels, never BatchNorm. */
public final class WeightTensors {
  private WeightTensors() {}

  /**
   * The kernels of a block's convolution and dense layers, in the block's parameter order, keyed
   * by their path (e.g. {@code 01Conv2d_weight}). Biases and normalisation parameters are excluded.
   */
  public static List<Pair<String, Parameter>> of(Block block) {
    List<Pair<String, Parameter>> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter param = p.getValue();
      if (param.getType().equals(Parameter.Type.WEIGHT)
          && param.isInitialized()
          && param.getArray().getShape().dimension() >= 2) {
        out.add(p);
      }
    }
    return out;
  }
}
