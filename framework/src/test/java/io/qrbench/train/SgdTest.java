package io.qrbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.qrbench.suite.OptimizerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {

  /**
   * A 1-unit dense layer over 2 inputs, fed x = (1, 2) with loss = sum(output): the gradient is x
   * for the weight and 1 for the bias, whatever the weights.
   */
  private static void backward(Linear layer, NDManager m) {
    try (NDManager bm = m.newSubManager();
        GradientCollector gc = bm.getEngine().newGradientCollector()) {
      NDArray x = bm.create(new float[] {1, 2}, new Shape(1, 2));
      NDArray y =
          layer.forward(new ParameterStore(bm, false), new NDList(x), true).singletonOrThrow();
      gc.backward(y.sum());
    }
  }

  private static float[][] run(boolean nesterov, int steps) {
    return run(nesterov, steps, null);
  }

  /**
   * With a factor, the bias plays the quantizer's trainable state, updated at factor x the rate.
   */
  private static float[][] run(boolean nesterov, int steps, Double factor) {
    try (Model model = Model.newInstance("sgd")) {
      Linear layer = Linear.builder().setUnits(1).build();
      model.setBlock(layer);
      layer.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
      Parameter w = layer.getParameters().get("weight");
      Parameter b = layer.getParameters().get("bias");
      w.getArray().set(new float[] {0.5f, -1f});
      b.getArray().set(new float[] {0.25f});
      OptimizerSpec spec = new OptimizerSpec(0.1, 0.9, nesterov, 0.01, factor);
      try (Sgd sgd =
          factor == null
              ? new Sgd(spec, List.of(w, b), List.of(), model.getNDManager())
              : new Sgd(spec, List.of(w), List.of(b), model.getNDManager())) {
        for (int i = 0; i < steps; i++) {
          backward(layer, model.getNDManager());
          sgd.step(0.1);
        }
      }
      return new float[][] {w.getArray().toFloatArray(), b.getArray().toFloatArray()};
    }
  }

  /** PyTorch's rule, by hand, in doubles. */
  private static double[] expected(double[] w, double[] grad, boolean nesterov, int steps) {
    return expected(w, grad, nesterov, steps, 0.1);
  }

  private static double[] expected(
      double[] w, double[] grad, boolean nesterov, int steps, double lr) {
    double[] v = new double[w.length];
    double[] out = w.clone();
    for (int s = 0; s < steps; s++) {
      for (int i = 0; i < w.length; i++) {
        double g = grad[i] + 0.01 * out[i];
        v[i] = 0.9 * v[i] + g;
        double step = nesterov ? g + 0.9 * v[i] : v[i];
        out[i] -= lr * step;
      }
    }
    return out;
  }

  @Test
  void momentumAndWeightDecayFollowPyTorchsRule() {
    for (boolean nesterov : new boolean[] {false, true}) {
      float[][] got = run(nesterov, 3);
      double[] w = expected(new double[] {0.5, -1}, new double[] {1, 2}, nesterov, 3);
      double[] b = expected(new double[] {0.25}, new double[] {1}, nesterov, 3);
      assertArrayEquals(
          new float[] {(float) w[0], (float) w[1]}, got[0], 1e-6f, "weight, nesterov=" + nesterov);
      assertArrayEquals(new float[] {(float) b[0]}, got[1], 1e-6f, "bias, nesterov=" + nesterov);
    }
  }

  @Test
  void theQuantizersStateMovesAtItsOwnFactorOfTheRate() {
    float[][] got = run(true, 3, 0.25);
    double[] w = expected(new double[] {0.5, -1}, new double[] {1, 2}, true, 3);
    double[] b = expected(new double[] {0.25}, new double[] {1}, true, 3, 0.025);
    assertArrayEquals(
        new float[] {(float) w[0], (float) w[1]}, got[0], 1e-6f, "weights at the full rate");
    assertArrayEquals(new float[] {(float) b[0]}, got[1], 1e-6f, "the state at a quarter of it");
    assertTrue(Math.abs(got[1][0] - run(true, 3)[1][0]) > 1e-3, "the factor changes the step");
    assertThrows(
        IllegalArgumentException.class, () -> new OptimizerSpec(0.1, 0.9, false, 0.0, 0.0));
  }

  @Test
  void gradientsAreZeroedAfterEachStep() {
    // were gradients to accumulate, the second step would use 2x the gradient
    float[][] got = run(false, 2);
    double[] w = expected(new double[] {0.5, -1}, new double[] {1, 2}, false, 2);
    assertEquals((float) w[1], got[0][1], 1e-6f);
  }

  @Test
  void restoringStateOfTheWrongShapeIsRefused() {
    try (Model model = Model.newInstance("sgd")) {
      Linear layer = Linear.builder().setUnits(1).build();
      layer.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
      Parameter w = layer.getParameters().get("weight");
      try (Sgd sgd =
          new Sgd(OptimizerSpec.defaults(), List.of(w), List.of(), model.getNDManager())) {
        NDList wrong = new NDList(model.getNDManager().zeros(new Shape(3)));
        assertThrows(IllegalArgumentException.class, () -> sgd.restore(wrong));
        assertThrows(IllegalArgumentException.class, () -> sgd.restore(new NDList()));
      }
    }
  }
}
