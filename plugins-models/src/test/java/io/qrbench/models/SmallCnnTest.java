package io.qrbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.qrbench.spi.ModelInput;
import io.qrbench.testing.FreedDirectMemory;
import org.junit.jupiter.api.Test;

class SmallCnnTest {

  @Test
  void mapsImagesToLogitsWithTheExpectedParameterCount() {
    ModelInput in = new ModelInput(3, 32, 32, 10);
    Block block =
        new SmallCnn()
            .build(
                new SmallCnn.Config(8),
                new io.qrbench.spi.ModelContext(
                    in, io.qrbench.nn.Layers.plain(), null, java.util.Optional.empty()));
    try (Model model = Model.newInstance("cnn")) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 32, 32));
      NDArray x = model.getNDManager().randomUniform(0, 1, new Shape(5, 3, 32, 32));
      NDArray logits =
          block
              .forward(new ParameterStore(model.getNDManager(), false), new NDList(x), false)
              .singletonOrThrow();
      assertEquals(new Shape(5, 10), logits.getShape());
      long trainable = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        Parameter.Type t = p.getValue().getType();
        if (!t.equals(Parameter.Type.RUNNING_MEAN) && !t.equals(Parameter.Type.RUNNING_VAR)) {
          trainable += p.getValue().getArray().size();
        }
      }
      // conv 3x3 3->8 (216) + BN 8 (16) + conv 3x3 8->16 (1152) + BN 16 (32) + dense 16->10 (170)
      assertEquals(216 + 16 + 1152 + 32 + 170, trainable);
    }
  }

  @Test
  void inputGradientReadsNoFreedMemory() {
    ModelInput in = new ModelInput(3, 32, 32, 10);
    Block block =
        new SmallCnn()
            .build(
                new SmallCnn.Config(16),
                new io.qrbench.spi.ModelContext(
                    in, io.qrbench.nn.Layers.plain(), null, java.util.Optional.empty()));
    try (Model model = Model.newInstance("cnn")) {
      model.setBlock(block);
      ai.djl.engine.Engine.getInstance().setRandomSeed(2);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 32, 32));
      NDArray x = model.getNDManager().randomUniform(0, 1, new Shape(4, 3, 32, 32));
      NDArray r = model.getNDManager().randomNormal(new Shape(4, 10));
      float[] expected = inputGradient(block, x, r, false);
      for (int pass = 0; pass < 3; pass++) {
        // an attack's backward pass, after the collector has freed and reused what forward let go
        // of
        assertArrayEquals(expected, inputGradient(block, x, r, true), 0f, "pass " + pass);
      }
    }
  }

  private static float[] inputGradient(
      Block block, NDArray images, NDArray r, boolean overwriteFreed) {
    try (ai.djl.ndarray.NDManager bm = images.getManager().newSubManager()) {
      NDArray x = images.duplicate();
      x.attach(bm);
      x.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector gc = bm.getEngine().newGradientCollector()) {
        NDArray logits =
            block.forward(new ParameterStore(bm, false), new NDList(x), false).singletonOrThrow();
        java.util.List<java.nio.ByteBuffer> garbage =
            overwriteFreed ? FreedDirectMemory.overwrite() : null;
        gc.backward(logits.mul(r).sum());
        java.lang.ref.Reference.reachabilityFence(garbage);
      }
      return x.getGradient().toFloatArray();
    }
  }

  @Test
  void widthIsValidated() {
    assertEquals(16, new SmallCnn.Config(null).width());
    assertThrows(IllegalArgumentException.class, () -> new SmallCnn.Config(0));
  }
}
