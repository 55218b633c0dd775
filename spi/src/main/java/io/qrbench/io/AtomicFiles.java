package io.qrbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that a reader, or a run interrupted at any moment, sees either the old content or
 * the new, never half of it: write a temporary file beside the target, force it to disk, then
 * rename it over the target. Temporary files are named {@code .<target>.<number>.tmp}; one left by
 * a killed process is removed by {@link #removeStaleTemporaries} once its folder is locked.
 *
 * <p>A new file gets the permissions any file created there gets (the umask and the folder's
 * default ACL decide); a replaced file keeps the permissions it had.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9]{1,20}\\.tmp");

  /**
   * Where bytes go; tests swap it to simulate a full disk (see {@code FullDisk} in the test jar).
   */
  interface Disk {
    void write(Path target, FileChannel channel, ByteBuffer bytes) throws IOException;

    long usableSpace(Path dir) throws IOException;
  }

  /** The real disk. */
  static final Disk REAL =
      new Disk() {
        @Override
        public void write(Path target, FileChannel channel, ByteBuffer bytes) throws IOException {
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
        }

        @Override
        public long usableSpace(Path dir) throws IOException {
          return Files.getFileStore(dir).getUsableSpace();
        }
      };

  static volatile Disk disk = REAL;

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code content} atomically, creating parent folders.
   *
   * @throws NoSpaceException when the file system is full; the target is then as it was
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Disk d = disk;
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = createTemporary(target, false);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        d.write(target, ch, ByteBuffer.wrap(content));
        ch.force(true);
      }
      keepPermissions(target, tmp);
      move(tmp, target);
    } catch (IOException e) {
      if (tmp != null && Files.deleteIfExists(tmp)) {
        tmp = null; // what it took is free again before the free space is measured
      }
      throw NoSpaceException.when(e, target, content.length, d, dir);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * A new, empty temporary file (or folder) beside {@code target}, named as this class names its
   * temporary files, created as any file there would be (no owner-only permissions).
   */
  public static Path createTemporary(Path target, boolean directory) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    for (int attempt = 0; ; attempt++) {
      Path tmp =
          dir.resolve(
              "." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
      try {
        return directory ? Files.createDirectory(tmp) : Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** A replaced file keeps its permissions, as it would if it were rewritten in place. */
  private static void keepPermissions(Path target, Path tmp) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (view != null && Files.isRegularFile(target)) {
      Files.setPosixFilePermissions(tmp, view.readAttributes().permissions());
    }
  }

  /**
   * Writes several files into {@code dir} so that they take their places together: {@code writer}
   * writes them, under their final names, into a temporary folder inside {@code dir}; only when it
   * has written them all are they renamed into place. On failure nothing in {@code dir} is
   * replaced.
   *
   * @return what {@code writer} returned
   */
  public static <T> T writeTogether(Path dir, Writer<T> writer) throws IOException {
    Files.createDirectories(dir);
    Path staging = createTemporary(dir.resolve("together"), true);
    try {
      T result = writer.write(staging);
      List<Path> files;
      try (Stream<Path> s = Files.list(staging)) {
        files = s.sorted().toList();
      }
      for (Path f : files) {
        move(f, dir.resolve(f.getFileName().toString()));
      }
      return result;
    } finally {
      deleteTree(staging);
    }
  }

  /** Writes files into a folder. */
  @FunctionalInterface
  public interface Writer<T> {
    T write(Path dir) throws IOException;
  }

  /**
   * Deletes the temporary files (and folders) this class leaves behind when a process is killed
   * while writing, anywhere in {@code dir}. Call it only while {@code dir} is locked (qrbench's
   * folder lock): a live writer's temporary file would go too.
   *
   * @return the paths deleted
   */
  public static List<Path> removeStaleTemporaries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> stale;
    // deep enough for <out>/.crafted/<case>/<batch>; a folder named by mistake is not searched
    // through
    try (Stream<Path> all = Files.walk(dir, 3)) {
      stale =
          all.filter(p -> !p.equals(dir) && TEMPORARY.matcher(p.getFileName().toString()).matches())
              .toList();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    List<Path> removed = new ArrayList<>();
    for (Path p : stale) {
      if (Files.exists(
          p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // not already gone with its folder
        deleteTree(p);
        removed.add(p);
      }
    }
    return removed;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Renames {@code tmp} over {@code target}, atomically where the file system allows. */
  public static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
