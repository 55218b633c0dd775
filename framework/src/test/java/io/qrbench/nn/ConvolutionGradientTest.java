package io.qrbench.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A layer's input gradient is the convolution's, computed here in plain Java, for output channel
 * counts with and without a tail beyond oneDNN's 16-channel block: PyTorch 2.7's oneDNN got those
 * with a tail wrong (every pass with one thread, about half with two, NaN at times).
 */
class ConvolutionGradientTest {
  private static final int BATCH = 6;
  private static final int IN = 4;
  private static final int SIZE = 10;

  @Test
  void inputAndKernelGradientsAreTheConvolutionsForEveryChannelCount() {
    for (int out : new int[] {1, 4, 8, 12, 16, 20, 32}) {
      for (boolean transformed : new boolean[] {false, true}) {
        Layers layers =
            transformed
                ? Layers.withHook(
                    info ->
                        Optional.of(
                            (latent, training) ->
                                training
                                    ? WeightTransform.straightThrough(
                                        latent,
                                        latent.mul(latent.getManager().full(new Shape(), 0.5f)))
                                    : latent
                                        .mul(latent.getManager().full(new Shape(), 0.5f))
                                        .stopGradient()))
                : Layers.plain();
        Block conv = layers.conv2d("c", LayerInfo.Role.HIDDEN, out, 3, 1, 1, false);
        try (Model model = Model.newInstance("conv")) {
          model.setBlock(conv);
          Engine.getInstance().setRandomSeed(out);
          conv.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(BATCH, IN, SIZE, SIZE));
          NDManager m = model.getNDManager();
          NDArray x = m.randomNormal(new Shape(BATCH, IN, SIZE, SIZE));
          NDArray r = m.randomNormal(new Shape(BATCH, out, SIZE, SIZE));
          NDArray weight = conv.getParameters().get("weight").getArray();
          // the kernel the layer computes with in training: half the latent one for the transformed
          // layer
          float[] k = weight.toFloatArray();
          if (transformed) {
            for (int i = 0; i < k.length; i++) {
              k[i] *= 0.5f;
            }
          }
          double[] dx = inputGradient(r.toFloatArray(), k, out);
          double[] dk = kernelGradient(x.toFloatArray(), r.toFloatArray(), out);
          for (int pass = 0; pass < 5; pass++) {
            try (NDManager bm = m.newSubManager()) {
              NDArray input = x.duplicate();
              input.attach(bm);
              input.setRequiresGradient(true);
              try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // what an earlier operation made, as every layer but the first sees; training and
                // evaluation passes alike, as an attack asks for input gradients in evaluation
                NDArray made = input.add(bm.zeros(input.getShape()));
                NDArray y =
                    conv.forward(new ParameterStore(bm, false), new NDList(made), pass % 2 == 0)
                        .singletonOrThrow();
                assertEquals(new Shape(BATCH, out, SIZE, SIZE), y.getShape());
                gc.backward(y.mul(r).sum());
              }
              String what =
                  (transformed ? "transformed" : "plain")
                      + " layer, "
                      + out
                      + " channels, pass "
                      + pass;
              assertClose(dx, input.getGradient().toFloatArray(), "input gradient of the " + what);
              if (pass % 2
                  == 0) { // straight through, the latent kernel gets the computed kernel's gradient
                assertClose(
                    dk, weight.getGradient().toFloatArray(), "kernel gradient of the " + what);
              }
              weight.getGradient().subi(weight.getGradient());
            }
          }
        }
      }
    }
  }

  @Test
  void parameterNamesAreDjlsAsPackedWeightFilesKeyThem() {
    SequentialBlock model =
        new SequentialBlock()
            .add(Layers.plain().conv2d("a", LayerInfo.Role.INPUT, 4, 3, 1, 1, false))
            .add(
                Layers.withHook(info -> Optional.of((latent, training) -> latent))
                    .conv2d("b", LayerInfo.Role.HIDDEN, 4, 3, 1, 1, false));
    assertEquals(
        List.of("01Conv2d_weight", "02TransformedConv2d_weight"), model.getParameters().keys());
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.abs(expected[i])))) {
        throw new AssertionError(
            what + " at " + i + ": expected " + expected[i] + ", was " + actual[i]);
      }
    }
  }

  /** dL/dx for y = conv(x, k) with stride 1 and padding 1, L = sum(y * r). */
  private static double[] inputGradient(float[] r, float[] k, int out) {
    double[] g = new double[BATCH * IN * SIZE * SIZE];
    for (int n = 0; n < BATCH; n++) {
      for (int c = 0; c < IN; c++) {
        for (int i = 0; i < SIZE; i++) {
          for (int j = 0; j < SIZE; j++) {
            double s = 0;
            for (int o = 0; o < out; o++) {
              for (int ki = 0; ki < 3; ki++) {
                for (int kj = 0; kj < 3; kj++) {
                  int yi = i - ki + 1;
                  int yj = j - kj + 1;
                  if (yi >= 0 && yi < SIZE && yj >= 0 && yj < SIZE) {
                    s +=
                        r[((n * out + o) * SIZE + yi) * SIZE + yj]
                            * k[((o * IN + c) * 3 + ki) * 3 + kj];
                  }
                }
              }
            }
            g[((n * IN + c) * SIZE + i) * SIZE + j] = s;
          }
        }
      }
    }
    return g;
  }

  /** dL/dk for the same convolution. */
  private static double[] kernelGradient(float[] x, float[] r, int out) {
    double[] g = new double[out * IN * 9];
    for (int o = 0; o < out; o++) {
      for (int c = 0; c < IN; c++) {
        for (int ki = 0; ki < 3; ki++) {
          for (int kj = 0; kj < 3; kj++) {
            double s = 0;
            for (int n = 0; n < BATCH; n++) {
              for (int i = 0; i < SIZE; i++) {
                for (int j = 0; j < SIZE; j++) {
                  int xi = i + ki - 1;
                  int xj = j + kj - 1;
                  if (xi >= 0 && xi < SIZE && xj >= 0 && xj < SIZE) {
                    s +=
                        r[((n * out + o) * SIZE + i) * SIZE + j]
                            * x[((n * IN + c) * SIZE + xi) * SIZE + xj];
                  }
                }
              }
            }
            g[((o * IN + c) * 3 + ki) * 3 + kj] = s;
          }
        }
      }
    }
    return g;
  }
}
