package io.qrbench.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A file could not be written because its file system is full (or the user's quota is used up). The
 * message says which file, how many bytes it needed and how many were free.
 */
public final class NoSpaceException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path file;

  NoSpaceException(Path file, long needed, long available, IOException cause) {
    super(
        "no space left on the device to write "
            + file.toAbsolutePath()
            + ": "
            + bytes(needed)
            + " needed, "
            + (available < 0 ? "free space unknown" : bytes(available) + " free"),
        cause);
    this.file = file;
  }

  /** The file that could not be written. */
  public Path file() {
    return file;
  }

  /**
   * {@code e} as a {@code NoSpaceException} when it means the disk is full (ENOSPC, EDQUOT) or the
   * folder has less room than the file needs, else {@code e} itself.
   */
  static IOException when(IOException e, Path file, long needed, AtomicFiles.Disk disk, Path dir) {
    if (e instanceof NoSpaceException) {
      return e;
    }
    long available;
    try {
      available = disk.usableSpace(dir);
    } catch (IOException | RuntimeException unknown) {
      available = -1;
    }
    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    // a write error is a plain IOException; a missing folder or a denied permission is not about
    // space
    boolean full =
        msg.contains("no space left")
            || msg.contains("quota exceeded")
            || msg.contains("not enough space")
            || (!(e instanceof java.nio.file.FileSystemException)
                && available >= 0
                && available < needed);
    return full ? new NoSpaceException(file, needed, available, e) : e;
  }

  /**
   * A byte count for people: {@code 950 bytes}, {@code 12.3 KB}, {@code 1.2 GB} (powers of 1024).
   */
  static String bytes(long n) {
    if (n < 1024) {
      return n + (n == 1 ? " byte" : " bytes");
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
