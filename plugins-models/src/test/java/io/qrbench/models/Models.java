package io.qrbench.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.qrbench.nn.Layers;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import java.util.List;
import java.util.Optional;

/** Test helpers: build and initialise model plugins the way the runner does. */
final class Models {
  static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);

  private Models() {}

  /** An uninitialised CIFAR ResNet of {@code depth} for CIFAR-shaped input. */
  static Block resnet(int depth, Layers layers) {
    return new CifarResNet()
        .build(
            new CifarResNet.Config(depth, null, null),
            new ModelContext(CIFAR, layers, null, Optional.empty()));
  }

  /** A CIFAR ResNet initialised in {@code manager} for input of {@code in}'s shape. */
  static Block initialised(CifarResNet.Config config, ModelInput in, NDManager manager) {
    Block b =
        new CifarResNet()
            .build(config, new ModelContext(in, Layers.plain(), manager, Optional.empty()));
    b.initialize(manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
    return b;
  }

  /** Trainable parameters: everything but BatchNorm's running statistics (as the runner counts). */
  static long trainable(Block block) {
    long n = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter.Type t = p.getValue().getType();
      if (!t.equals(Parameter.Type.RUNNING_MEAN) && !t.equals(Parameter.Type.RUNNING_VAR)) {
        n += p.getValue().getArray().size();
      }
    }
    return n;
  }

  /** The kernels (WEIGHT parameters: conv and dense, never BatchNorm) of a block, in order. */
  static List<Parameter> kernels(Block block) {
    return block.getParameters().values().stream()
        .filter(p -> p.getType().equals(Parameter.Type.WEIGHT))
        .toList();
  }
}
