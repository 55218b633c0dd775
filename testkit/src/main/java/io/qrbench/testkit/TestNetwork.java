package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.nn.QuantizableLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small convolutional network for quantizer tests, made as models make their layers (through
 * {@link Layers}) and filled with seeded weights: an input convolution, two hidden ones and an
 * output dense layer, with biases on some, on (1, 3, 8, 8) images and 10 classes. Close it to free
 * its arrays.
 */
public final class TestNetwork implements AutoCloseable {
  /** The shape of its input images. */
  public static final Shape IMAGE = new Shape(3, 8, 8);

  private final NDManager manager;
  private final Layers layers;
  private final SequentialBlock block;

  /**
   * @param layers where the layers come from: {@link Layers#plain()}, or a quantizer's training
   *     hook
   * @param seed the seed of every parameter's values
   */
  public TestNetwork(Layers layers, long seed) {
    this.manager = NDManager.newBaseManager();
    this.layers = layers;
    // channel counts that are multiples of 16 take the same convolution kernels on every CPU
    this.block =
        new SequentialBlock()
            .add(layers.conv2d("stem", LayerInfo.Role.INPUT, 16, 3, 1, 1, true))
            .add(Activation.reluBlock())
            .add(layers.conv2d("conv1", LayerInfo.Role.HIDDEN, 16, 3, 1, 1, false))
            .add(Activation.reluBlock())
            .add(layers.conv2d("conv2", LayerInfo.Role.HIDDEN, 32, 3, 2, 1, true))
            .add(Activation.reluBlock())
            .add(Blocks.batchFlattenBlock())
            .add(layers.linear("fc", LayerInfo.Role.OUTPUT, 10, true));
    try {
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 8, 8));
      SplittableRandom r = new SplittableRandom(seed);
      for (Pair<String, Parameter> p : block.getParameters()) {
        NDArray a = p.getValue().getArray();
        Shape s = a.getShape();
        // He-scaled kernels; small biases
        double std = s.dimension() >= 2 ? Math.sqrt(2.0 / (s.size() / s.get(0))) : 0.1;
        float[] v = new float[Math.toIntExact(s.size())];
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) (r.nextGaussian() * std);
        }
        a.set(v);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The network's convolution and dense layers with their kernels, in order. */
  public List<QuantizableLayer> quantizable() {
    return layers.quantizable();
  }

  /** A copy of every parameter's values (kernels, biases), by parameter name, in order. */
  public Map<String, float[]> snapshot() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  /** The name of the parameter that is the kernel of {@code layer}, as in {@link #snapshot()}. */
  public String parameterName(QuantizableLayer layer) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue() == layer.weight()) {
        return p.getKey();
      }
    }
    throw new IllegalArgumentException(layer.info().name() + " is not a layer of this network");
  }

  /** The logits of {@code images}, in inference mode. */
  public NDArray forward(NDArray images) {
    return block
        .forward(new ParameterStore(manager, false), new NDList(images), false)
        .singletonOrThrow();
  }

  /** The manager that owns the network's arrays. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
