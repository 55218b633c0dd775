package io.qrbench.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files written by {@link OnnxModel} load in ONNX Runtime and compute what their nodes say. */
class OnnxModelTest {

  /** Runs a one-input model on {@code x} and returns its first output, flattened. */
  static float[] run(byte[] model, float[] x, long... shape) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(model, o);
          OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
          OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), in))) {
        OnnxTensor t = (OnnxTensor) r.get(0);
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
      }
    }
  }

  @Test
  void aConvolutionWithReluComputesAsWrittenWithSymbolicBatch() throws Exception {
    // 1 input channel, 2 output channels, 1x1 kernel with weights 2 and -1, biases 0.5 and 0
    OnnxModel m = new OnnxModel("t", 17);
    m.input("x", OnnxModel.FLOAT, "N", 1, 2, 2).output("y", OnnxModel.FLOAT, "N", 2, 2, 2);
    m.floats("w", new float[] {2, -1}, 2, 1, 1, 1).floats("b", new float[] {0.5f, 0}, 2);
    m.node("Conv", List.of("x", "w", "b"), List.of("c"))
        .attr("kernel_shape", new long[] {1, 1})
        .attr("pads", new long[] {0, 0, 0, 0})
        .name("conv");
    m.node("Relu", List.of("c"), List.of("y"));
    m.metadata("qrbench.test", "yes");
    float[] x = {1, -2, 3, 0, -1, 1, 0.25f, 4};
    float[] y = run(m.toBytes(), x, 2, 1, 2, 2);
    float[] expected = new float[16];
    for (int n = 0; n < 2; n++) {
      for (int p = 0; p < 4; p++) {
        float v = x[n * 4 + p];
        expected[n * 8 + p] = Math.max(0, 2 * v + 0.5f);
        expected[n * 8 + 4 + p] = Math.max(0, -v);
      }
    }
    assertArrayEquals(expected, y, 1e-6f);
    assertEquals(List.of("Conv", "Relu"), m.opTypes());
  }

  @Test
  void quantizeAndDequantizeRoundTripThroughInt8AndPerAxisScales() throws Exception {
    // y = DequantizeLinear(QuantizeLinear(x, 0.5, zp 10 uint8)), then a per-channel int8 weight
    OnnxModel m = new OnnxModel("t", 17);
    m.input("x", OnnxModel.FLOAT, 1, 2, 1, 2).output("y", OnnxModel.FLOAT, 1, 2, 1, 2);
    m.floats("s", new float[] {0.5f}).uint8s("z", new byte[] {10});
    m.node("QuantizeLinear", List.of("x", "s", "z"), List.of("q"));
    m.node("DequantizeLinear", List.of("q", "s", "z"), List.of("dq"));
    m.int8s("wq", new byte[] {-1, 1}, 2, 1, 1, 1).floats("ws", new float[] {3, 0.25f}, 2);
    m.int8s("wz", new byte[] {0, 0}, 2);
    m.node("DequantizeLinear", List.of("wq", "ws", "wz"), List.of("w")).attr("axis", 0L);
    m.node("Conv", List.of("dq", "w"), List.of("y")).attr("group", 2L);
    float[] y = run(m.toBytes(), new float[] {1.2f, -9, 150, 0.3f}, 1, 2, 1, 2);
    // 1.2 -> q 12 -> 1.0; -9 -> q 0 (clamped: 0 - 10 = -5) -> -5; 150 -> 255 (clamped) -> 122.5;
    // 0.3 -> 11 -> 0.5
    assertArrayEquals(new float[] {-3 * 1.0f, -3 * -5f, 0.25f * 122.5f, 0.25f * 0.5f}, y, 1e-6f);
  }
}
