package io.qrbench.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Convolutions whose channel counts are not multiples of 16 compute what a convolution computes:
 * forward pass, input gradient and kernel gradient against a double-precision reference.
 */
class ChannelTailsTest {
  private static final int N = 24;
  private static final int SIZE = 8;

  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /**
   * y = conv(x, w) + b with a 3x3 kernel, stride 1, zero padding 1; and the gradients of sum(y *
   * r).
   */
  private record Reference(double[] y, double[] dx, double[] dw) {
    static Reference of(float[] x, float[] w, float[] b, float[] r, int in, int out) {
      double[] y = new double[N * out * SIZE * SIZE];
      double[] dx = new double[x.length];
      double[] dw = new double[w.length];
      for (int n = 0; n < N; n++) {
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < SIZE; j++) {
              int yi = ((n * out + o) * SIZE + i) * SIZE + j;
              y[yi] = b[o];
              for (int c = 0; c < in; c++) {
                for (int ki = 0; ki < 3; ki++) {
                  for (int kj = 0; kj < 3; kj++) {
                    int ii = i + ki - 1;
                    int jj = j + kj - 1;
                    if (ii >= 0 && jj >= 0 && ii < SIZE && jj < SIZE) {
                      int xi = ((n * in + c) * SIZE + ii) * SIZE + jj;
                      int wi = ((o * in + c) * 3 + ki) * 3 + kj;
                      y[yi] += (double) w[wi] * x[xi];
                      dx[xi] += (double) w[wi] * r[yi];
                      dw[wi] += (double) x[xi] * r[yi];
                    }
                  }
                }
              }
            }
          }
        }
      }
      return new Reference(y, dx, dw);
    }
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    double max = 0;
    for (double v : expected) {
      max = Math.max(max, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * max, what + " at " + i);
    }
  }

  private static void check(Layers layers, String kind, int in, int out) {
    Block conv = layers.conv2d("c", LayerInfo.Role.HIDDEN, out, 3, 1, 1, true);
    try (NDManager m = NDManager.newBaseManager()) {
      conv.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
      conv.initialize(m, DataType.FLOAT32, new Shape(N, in, SIZE, SIZE));
      float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
      float[] b = random(out, 3);
      conv.getParameters().get("bias").getArray().set(b);
      float[] x = random(N * in * SIZE * SIZE, 1);
      float[] r = random(N * out * SIZE * SIZE, 2);
      Reference ref = Reference.of(x, w, b, r, in, out);
      String what = kind + " " + in + " -> " + out + " channels, ";
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray xa = m.create(x, new Shape(N, in, SIZE, SIZE));
        xa.setRequiresGradient(true);
        NDArray y =
            conv.forward(new ParameterStore(m, false), new NDList(xa), true).singletonOrThrow();
        assertEquals(new Shape(N, out, SIZE, SIZE), y.getShape());
        gc.backward(y.mul(m.create(r, y.getShape())).sum());
        assertClose(ref.y(), y.toFloatArray(), what + "forward");
        assertClose(ref.dx(), xa.getGradient().toFloatArray(), what + "input gradient");
        assertClose(
            ref.dw(),
            conv.getParameters().get("weight").getArray().getGradient().toFloatArray(),
            what + "kernel gradient");
      }
    }
  }

  @Test
  void plainConvolutionsWithChannelTailsComputeTheConvolution() {
    for (int[] c :
        List.of(
            new int[] {20, 6},
            new int[] {16, 8},
            new int[] {24, 17},
            new int[] {3, 16},
            new int[] {32, 32})) {
      check(Layers.plain(), "plain", c[0], c[1]);
    }
  }

  @Test
  void transformedConvolutionsWithChannelTailsComputeTheConvolution() {
    WeightTransform identity = (latent, training) -> latent;
    check(Layers.withHook(info -> Optional.of(identity)), "transformed", 20, 6);
  }

  @Test
  void parameterNamesStayDjls() {
    SequentialBlock b =
        new SequentialBlock()
            .add(Layers.plain().conv2d("c", LayerInfo.Role.INPUT, 6, 3, 1, 1, false));
    String name = b.getParameters().get(0).getKey();
    assertTrue(name.equals("01Conv2d_weight"), "weights files name the kernel " + name);
  }
}
