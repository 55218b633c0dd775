package io.qrbench.runner;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.qrbench.ConfigException;
import io.qrbench.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A block's parameters in one file: a magic header, then DJL's own parameter encoding. Written
 * atomically; a file that is not one, or that does not fit the block, is a clear error.
 */
public final class WeightsFile {
  private static final byte[] MAGIC = "QRBW1\n".getBytes(StandardCharsets.US_ASCII);

  private WeightsFile() {}

  /** Saves the parameters of an initialised block to {@code file}. */
  public static void save(Block block, Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(MAGIC);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /**
   * Loads parameters from {@code file} into an initialised block of the same architecture.
   *
   * @throws ConfigException when the file is missing, not a qrbench weights file, or written for
   *     another architecture
   */
  public static void load(Block block, NDManager manager, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("weights file not found: " + file
          + "; check the 'weights' path (relative to the suite's folder)");
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
      byte[] head = in.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(head, MAGIC)) {
        throw new ConfigException(file + " is not a qrbench weights file (bad header); "
            + "use weights saved by qrbench");
      }
      block.loadParameters(manager, in);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      if (e instanceof ConfigException c) {
        throw c;
      }
      throw new ConfigException("cannot load weights from " + file + ": " + e.getMessage()
          + "; the file is damaged or was saved for a different model configuration", e);
    }
  }
}
