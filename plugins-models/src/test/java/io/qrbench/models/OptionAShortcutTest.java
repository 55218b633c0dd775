package io.qrbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.qrbench.nn.Layers;
import io.qrbench.nn.OptionAShortcut;
import org.junit.jupiter.api.Test;

class OptionAShortcutTest {

  @Test
  void subsamplesByTwoAndPadsZeroChannelsHalfOnEachSide() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block shortcut = new OptionAShortcut(8);
      shortcut.initialize(m, DataType.FLOAT32, new Shape(2, 4, 6, 5));
      assertTrue(shortcut.getParameters().isEmpty(), "option A has no parameters");
      NDArray x = m.arange(2 * 4 * 6 * 5).toType(DataType.FLOAT32, false).reshape(2, 4, 6, 5);
      NDArray y =
          shortcut.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      assertEquals(new Shape(2, 8, 3, 3), y.getShape());
      assertEquals(shortcut.getOutputShapes(new Shape[] {x.getShape()})[0], y.getShape());
      float[] in = x.toFloatArray();
      float[] out = y.toFloatArray();
      for (int n = 0; n < 2; n++) {
        for (int c = 0; c < 8; c++) {
          for (int h = 0; h < 3; h++) {
            for (int w = 0; w < 3; w++) {
              // channels 0-1 and 6-7 are padding; 2-5 are the input's 0-3 at even rows and columns
              float expected = c < 2 || c >= 6 ? 0f : in[((n * 4 + c - 2) * 6 + 2 * h) * 5 + 2 * w];
              assertEquals(
                  expected,
                  out[((n * 8 + c) * 3 + h) * 3 + w],
                  "y[" + n + "," + c + "," + h + "," + w + "]");
            }
          }
        }
      }
    }
  }

  @Test
  void anOddNumberOfNewChannelsPutsTheExtraOneAfter() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block shortcut = new OptionAShortcut(5);
      shortcut.initialize(m, DataType.FLOAT32, new Shape(1, 2, 1, 1));
      NDArray x = m.create(new float[] {7, 9}, new Shape(1, 2, 1, 1));
      NDArray y =
          shortcut.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      assertArrayEquals(new float[] {0, 7, 9, 0, 0}, y.toFloatArray());
    }
  }

  @Test
  void passesGradientsToTheKeptPixelsOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block shortcut = new OptionAShortcut(2);
      shortcut.initialize(m, DataType.FLOAT32, new Shape(1, 1, 2, 2));
      NDArray x = m.ones(new Shape(1, 1, 2, 2));
      x.setRequiresGradient(true);
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray y =
            shortcut.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
        gc.backward(y.sum());
      }
      assertArrayEquals(new float[] {1, 0, 0, 0}, x.getGradient().toFloatArray());
    }
  }

  @Test
  void aStageTransitionBlockHasParametersOnlyInItsMainBranch() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = CifarResNet.basicBlock(Layers.plain(), "stage2.block1", 16, 32, 2);
      block.initialize(m, DataType.FLOAT32, new Shape(1, 16, 32, 32));
      // conv 16->32, BN, conv 32->32, BN (gamma, beta, running mean and var each)
      assertEquals(
          9 * 16 * 32 + 9 * 32 * 32 + 2 * 4 * 32,
          block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum());
      assertTrue(block.getParameters().keys().stream().allMatch(k -> k.startsWith("01main")));
      NDArray y =
          block
              .forward(
                  new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 16, 32, 32))), false)
              .head();
      assertEquals(new Shape(2, 32, 16, 16), y.getShape());
      assertTrue(y.gte(0).all().getBoolean(), "ReLU after the sum");
    }
  }
}
