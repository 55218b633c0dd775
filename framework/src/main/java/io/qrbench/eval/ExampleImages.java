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
 *
 * <p>Pixels are copied batch by batch, and encoded only at the end, outside the case's timing
 * (ImageIO's first use alone takes a noticeable moment).
 */
final class ExampleImages {
  private final int max;
  private final List<float[]> pixels = new ArrayList<>();
  private int channels;
  private int height;
  private int width;

  /** A collector of the first {@code max} images. */
  ExampleImages(int max) {
    this.max = max;
  }

  /**
   * Copies images of a batch (NCHW, values in [0,1], 1 or 3 channels) until {@code max} are kept;
   * other shapes are not kept.
   */
  void add(NDArray batch) {
    long[] shape = batch.getShape().getShape();
    if (pixels.size() >= max || shape.length != 4 || (shape[1] != 1 && shape[1] != 3)) {
      return;
    }
    channels = (int) shape[1];
    height = (int) shape[2];
    width = (int) shape[3];
    int take = (int) Math.min(max - pixels.size(), shape[0]);
    float[] v = batch.get("0:" + take).toFloatArray();
    int size = channels * height * width;
    for (int i = 0; i < take; i++) {
      pixels.add(java.util.Arrays.copyOfRange(v, i * size, (i + 1) * size));
    }
  }

  /** The kept images as {@code data:image/png;base64,...}, in order. */
  List<String> pngs() {
    List<String> out = new ArrayList<>(pixels.size());
    for (float[] p : pixels) {
      out.add(png(p));
    }
    return out;
  }

  private String png(float[] v) {
    BufferedImage img =
        new BufferedImage(
            width,
            height,
            channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    int plane = height * width;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        if (channels == 1) {
          img.getRaster().setSample(x, y, 0, level(v[p]));
        } else {
          img.setRGB(x, y, level(v[p]) << 16 | level(v[p + plane]) << 8 | level(v[p + 2 * plane]));
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
