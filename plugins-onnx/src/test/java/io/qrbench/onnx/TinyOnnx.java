package io.qrbench.onnx;

import io.qrbench.export.OnnxModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small ONNX classifiers written with qrbench's own {@link OnnxModel}: a 1x1 convolution from the
 * image's channels to {@code classes} maps, averaged over the image and flattened. Its logits are
 * {@code z[k] = b[k] + sum_c w[k][c] * mean(x[c])}, which {@link #logits} computes in Java.
 */
final class TinyOnnx {
  static final int CHANNELS = 3;
  static final int CLASSES = 10;

  /** The convolution's weight w[k][c] = ((k * 3 + c * 5) % 7 - 3) / 4. */
  static float weight(int k, int c) {
    return ((k * 3 + c * 5) % 7 - 3) / 4f;
  }

  /** The convolution's bias b[k] = (k - 4.5) / 10. */
  static float bias(int k) {
    return (k - 4.5f) / 10;
  }

  private TinyOnnx() {}

  /** The float32 graph; {@code qdq} adds a QuantizeLinear/DequantizeLinear pair on the input. */
  static OnnxModel classifier(boolean qdq) {
    OnnxModel m = new OnnxModel("tiny", 17);
    m.input("images", OnnxModel.FLOAT, "N", CHANNELS, 32, 32);
    m.output("logits", OnnxModel.FLOAT, "N", CLASSES);
    float[] w = new float[CLASSES * CHANNELS];
    float[] b = new float[CLASSES];
    for (int k = 0; k < CLASSES; k++) {
      b[k] = bias(k);
      for (int c = 0; c < CHANNELS; c++) {
        w[k * CHANNELS + c] = weight(k, c);
      }
    }
    m.floats("w", w, CLASSES, CHANNELS, 1, 1).floats("b", b, CLASSES);
    String x = "images";
    if (qdq) {
      m.floats("s", new float[] {1 / 255f}).uint8s("zp", new byte[] {0});
      m.node("QuantizeLinear", List.of("images", "s", "zp"), List.of("q"));
      m.node("DequantizeLinear", List.of("q", "s", "zp"), List.of("dq"));
      x = "dq";
    }
    m.node("Conv", List.of(x, "w", "b"), List.of("maps")).attr("kernel_shape", new long[] {1, 1});
    m.node("GlobalAveragePool", List.of("maps"), List.of("pooled"));
    m.node("Flatten", List.of("pooled"), List.of("logits")).attr("axis", 1L);
    return m;
  }

  /** The logits of images {@code x} (N, 3, 32, 32), flattened; {@code qdq} rounds x to 1/255. */
  static float[] logits(float[] x, int n, boolean qdq) {
    int pixels = 32 * 32;
    float[] z = new float[n * CLASSES];
    for (int i = 0; i < n; i++) {
      double[] mean = new double[CHANNELS];
      for (int c = 0; c < CHANNELS; c++) {
        for (int p = 0; p < pixels; p++) {
          double v = x[(i * CHANNELS + c) * pixels + p];
          mean[c] += qdq ? Math.min(255, Math.max(0, Math.rint(v * 255))) / 255 : v;
        }
        mean[c] /= pixels;
      }
      for (int k = 0; k < CLASSES; k++) {
        double s = bias(k);
        for (int c = 0; c < CHANNELS; c++) {
          s += weight(k, c) * mean[c];
        }
        z[i * CLASSES + k] = (float) s;
      }
    }
    return z;
  }

  static Path write(OnnxModel m, Path file) {
    try {
      return Files.write(file, m.toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
