package io.qrbench.eval;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A case's first few images as the model saw them, as PNG data URIs for the report: a 32x32 RGB
 * image is about 3 KB of PNG, so four per case cost a results file little, and the report (which
 * reads results only) can show what each perturbation does to the same images.
 */
final class ExampleImages {
  private ExampleImages() {}

  /**
   * The first {@code max} images of a batch (NCHW, values in [0,1], 1 or 3 channels) as {@code
   * data:image/png;base64,...}; none for other channel counts.
   */
  static List<String> of(NDArray images, int max) {
    long[] shape = images.getShape().getShape();
    if (shape.length != 4 || (shape[1] != 1 && shape[1] != 3)) {
      return List.of();
    }
    int n = (int) Math.min(max, shape[0]);
    int c = (int) shape[1];
    int h = (int) shape[2];
    int w = (int) shape[3];
    float[] v = images.get("0:" + n).toFloatArray();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(png(v, i * c * h * w, c, h, w));
    }
    return out;
  }

  private static String png(float[] v, int offset, int c, int h, int w) {
    BufferedImage img =
        new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = offset + y * w + x;
        if (c == 1) {
          img.getRaster().setSample(x, y, 0, level(v[p]));
        } else {
          int rgb = level(v[p]) << 16 | level(v[p + plane]) << 8 | level(v[p + 2 * plane]);
          img.setRGB(x, y, rgb);
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** A value in [0,1] as a 0-255 level, rounded; NaN as 0. */
  private static int level(float f) {
    return Float.isNaN(f) ? 0 : Math.max(0, Math.min(255, Math.round(f * 255)));
  }
}
