package io.qrbench.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the weight tensors a quantizer works on: convolution and dense kernels, never BatchNorm.
 */
public final class WeightTensors {
  private WeightTensors() {}

  /**
   * The kernels of a block's convolution and dense layers, in the block's parameter order, keyed by
   * their path (e.g. {@code 01Conv2d_weight}). Biases and normalisation parameters are excluded.
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

  /**
   * The kernels of a model not built through {@link Layers} (an imported one), as layers: the first
   * is taken as the input layer, the last as the output layer.
   */
  public static List<io.qrbench.nn.QuantizableLayer> asLayers(Block block) {
    List<Pair<String, Parameter>> kernels = of(block);
    List<io.qrbench.nn.QuantizableLayer> out = new ArrayList<>();
    for (int i = 0; i < kernels.size(); i++) {
      Parameter p = kernels.get(i).getValue();
      LayerInfo.Role role =
          i == 0
              ? LayerInfo.Role.INPUT
              : i == kernels.size() - 1 ? LayerInfo.Role.OUTPUT : LayerInfo.Role.HIDDEN;
      LayerInfo.Kind kind =
          p.getArray().getShape().dimension() > 2 ? LayerInfo.Kind.CONV : LayerInfo.Kind.DENSE;
      out.add(
          new io.qrbench.nn.QuantizableLayer(
              new LayerInfo(kernels.get(i).getKey(), kind, role), p, java.util.Optional.empty()));
    }
    return out;
  }
}
