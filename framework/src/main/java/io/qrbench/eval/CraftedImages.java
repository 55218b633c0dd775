package io.qrbench.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The images a transfer attack crafted on its source model, batch by batch, so that every model of
 * the suite is evaluated on them without crafting them again: crafting (gradients through the
 * source) costs many forward and backward passes, evaluating one. Each batch is a file written
 * atomically under the run's folder, with the sums the perturbation recorded for it; a resumed run
 * finds the batches an interrupted one crafted. The suite's fingerprint (text, seed, limit,
 * weights) guards what a resumed run may reuse; a fresh run starts from an empty store.
 *
 * <p>File layout, big-endian: magic {@code QRBX}, version 1, first image index, image count, rank,
 * dimensions, the float values, then the recorded sums as a count and (name, sum) pairs.
 */
public final class CraftedImages {
  /** The folder, inside a run's folder, where transfer attacks keep their images. */
  public static final String FOLDER = ".crafted";

  private static final int MAGIC = 0x51524258; // "QRBX"
  private static final int VERSION = 1;

  private final Path dir;

  /** A store in {@code dir} (created on the first write). */
  CraftedImages(Path dir) {
    this.dir = dir;
  }

  /** The store of one transfer case: its perturbation's name and level, in a run's folder. */
  public static CraftedImages of(Path outDir, String perturbation, String level) {
    String key = level.isEmpty() ? perturbation : perturbation + "[" + level + "]";
    return new CraftedImages(outDir.resolve(FOLDER).resolve(safe(key)));
  }

  /** Deletes every stored batch of a run. */
  public static void clear(Path outDir) {
    Path root = outDir.resolve(FOLDER);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the crafted images in " + root, e);
    }
  }

  /**
   * {@code key} as a file name: characters other than letters, digits and {@code .-_@} become
   * {@code _}, and a hash of the key keeps distinct keys apart.
   */
  public static String safe(String key) {
    StringBuilder b = new StringBuilder();
    for (char c : key.toCharArray()) {
      b.append(
          Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '@' ? c : '_');
    }
    // distinct keys may map to one safe name: a hash of the key keeps them apart
    return b + "-" + Integer.toHexString(key.hashCode());
  }

  /** One stored batch: the crafted images and the sums recorded while crafting them. */
  record Batch(NDArray images, Map<String, Double> sums) {}

  /**
   * The batch starting at image {@code from}, or null when it was not stored or was stored for
   * another batch shape (then it is crafted again).
   */
  Batch load(int from, Shape shape, NDManager manager) {
    Path file = file(from);
    if (!Files.exists(file)) {
      return null;
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION || in.readInt() != from) {
        return null;
      }
      in.readInt(); // image count: the first dimension
      int rank = in.readInt();
      long[] dims = new long[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readLong();
      }
      if (!new Shape(dims).equals(shape)) {
        return null;
      }
      int n = Math.toIntExact(shape.size());
      byte[] bytes = new byte[n * Float.BYTES];
      in.readFully(bytes);
      float[] values = new float[n];
      ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
      Map<String, Double> sums = new TreeMap<>();
      int metrics = in.readInt();
      for (int i = 0; i < metrics; i++) {
        sums.put(in.readUTF(), in.readDouble());
      }
      // an array made from Java data shares a direct buffer: the copy owns its memory
      return new Batch(manager.create(values, shape).duplicate(), sums);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the crafted images "
              + file
              + "; delete the folder "
              + dir
              + " and resume to craft them again",
          e);
    }
  }

  /** Stores the batch starting at image {@code from}. */
  void store(int from, NDArray images, Map<String, Double> sums) {
    Shape shape = images.getShape();
    float[] values = images.toFloatArray();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length * Float.BYTES + 256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(from);
      out.writeInt(Math.toIntExact(shape.get(0)));
      out.writeInt(shape.dimension());
      for (long d : shape.getShape()) {
        out.writeLong(d);
      }
      ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
      buf.asFloatBuffer().put(values);
      out.write(buf.array());
      out.writeInt(sums.size());
      for (Map.Entry<String, Double> e : sums.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeDouble(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      AtomicFiles.write(file(from), bytes.toByteArray());
    } catch (IOException e) {
      throw new io.qrbench.QrbenchException(
          "cannot store the crafted images: " + io.qrbench.io.IoErrors.describe(e, file(from)), e);
    }
  }

  private Path file(int from) {
    return dir.resolve("batch-" + from + ".bin");
  }
}
