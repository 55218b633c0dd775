package io.qrbench.datasets;

import io.qrbench.ConfigException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the idx format of MNIST and Fashion-MNIST, plain or gzip-compressed: a big-endian magic
 * number {@code 0x000008DD} (unsigned bytes, DD dimensions), DD big-endian sizes, then the bytes.
 * Every way a file can be wrong gets a message naming the file and what was expected.
 *
 * @param dims the sizes, e.g. {@code [60000, 28, 28]}
 * @param data the bytes, row-major
 */
record IdxFile(int[] dims, byte[] data) {
  private static final String FIX =
      "\n    fix: replace it with the original file (apt-get install --reinstall "
          + "dataset-fashion-mnist, or the file from the Fashion-MNIST release)";

  /**
   * Reads {@code file}, which must hold unsigned bytes in {@code rank} dimensions.
   *
   * @throws ConfigException when the file is unreadable, of another kind, truncated or too long
   */
  static IdxFile read(Path file, int rank) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream in =
            new DataInputStream(
                file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)) {
      int magic = in.readInt();
      int expected = 0x0800 | rank;
      if (magic != expected) {
        throw new ConfigException(
            String.format(
                "%s is not an idx file of %d-dimensional unsigned bytes: "
                    + "its magic number is 0x%08X, expected 0x%08X%s%s",
                file,
                rank,
                magic,
                expected,
                (magic & 0xFFFFFF00) == 0x0800
                    ? " (an idx file of another rank: images and labels swapped?)"
                    : "",
                FIX));
      }
      int[] dims = new int[rank];
      long total = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readInt();
        if (dims[i] < 0) {
          throw new ConfigException(file + " is corrupt: dimension " + i + " is " + dims[i] + FIX);
        }
        total *= dims[i];
      }
      if (total > Integer.MAX_VALUE - 8) {
        throw new ConfigException(
            file + " is corrupt: its header announces " + total + " bytes" + FIX);
      }
      byte[] data = in.readNBytes((int) total);
      if (data.length < total) {
        throw new ConfigException(
            file
                + " is truncated: its header "
                + Arrays.toString(dims)
                + " announces "
                + total
                + " bytes of data, the file holds "
                + data.length
                + FIX);
      }
      if (in.read() >= 0) {
        throw new ConfigException(
            file
                + " is corrupt: it holds more than the "
                + total
                + " bytes its header "
                + Arrays.toString(dims)
                + " announces"
                + FIX);
      }
      return new IdxFile(dims, data);
    } catch (EOFException e) {
      throw new ConfigException(file + " is truncated: it ends inside its header" + FIX, e);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage() + FIX, e);
    }
  }
}
