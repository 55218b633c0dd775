package io.qrbench.datasets;

import io.qrbench.ConfigException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 binary format: records of 1 label byte followed by 3,072 pixel bytes, the red, green
 * and blue 32x32 planes, each row-major; 10,000 records per file.
 */
final class CifarFormat {
  static final int SIDE = 32;
  static final int IMAGE = 3 * SIDE * SIDE;
  static final int RECORD = 1 + IMAGE;
  static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private CifarFormat() {}

  /** Reads the records of {@code files}, in order, into one dataset. */
  static ByteImageDataset read(List<Path> files) {
    long total = 0;
    List<Long> sizes = new ArrayList<>();
    for (Path f : files) {
      long size = size(f);
      if (size % RECORD != 0) {
        throw new ConfigException(
            f
                + " is not a CIFAR-10 binary file: its "
                + size
                + " bytes are not a whole number of "
                + RECORD
                + "-byte records");
      }
      sizes.add(size);
      total += size / RECORD;
    }
    if (total * IMAGE > Integer.MAX_VALUE - 8) {
      throw new ConfigException("too many CIFAR-10 records to hold in memory: " + total);
    }
    byte[] pixels = new byte[(int) total * IMAGE];
    byte[] labels = new byte[(int) total];
    int image = 0;
    for (int i = 0; i < files.size(); i++) {
      image = readFile(files.get(i), (int) (sizes.get(i) / RECORD), pixels, labels, image);
    }
    return new ByteImageDataset(pixels, labels, 3, SIDE, SIDE, CLASSES);
  }

  private static int readFile(Path f, int records, byte[] pixels, byte[] labels, int image) {
    byte[] record = new byte[RECORD];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
      for (int r = 0; r < records; r++, image++) {
        if (in.readNBytes(record, 0, RECORD) != RECORD) {
          throw new ConfigException(f + " was truncated while it was read");
        }
        int label = record[0] & 0xff;
        if (label >= CLASSES.size()) {
          throw new ConfigException(
              f
                  + ": record "
                  + r
                  + " has label "
                  + label
                  + ", but CIFAR-10 has 10 classes; the file is not CIFAR-10 (CIFAR-100?) or is corrupt");
        }
        labels[image] = (byte) label;
        System.arraycopy(record, 1, pixels, image * IMAGE, IMAGE);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read " + f + ": " + e.getMessage(), e);
    }
    return image;
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
