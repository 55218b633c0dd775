package io.qrbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A full disk for {@link AtomicFiles}' writes under one folder, for tests: a write that does not
 * fit fails as it would with ENOSPC. Close it to free the space again.
 */
public final class FullDisk implements AutoCloseable {
  private final Path root;
  private final Predicate<Path> fails;
  private long free;

  private FullDisk(Path root, long bytesFree, Predicate<Path> fails) {
    this.root = root.toAbsolutePath().normalize();
    this.free = bytesFree;
    this.fails = fails;
    AtomicFiles.disk =
        new AtomicFiles.Disk() {
          @Override
          public void write(Path target, FileChannel channel, ByteBuffer bytes) throws IOException {
            if (!under(target)) {
              AtomicFiles.REAL.write(target, channel, bytes);
              return;
            }
            // what does not fit is not written at all: the space a real partial write took is freed
            // with its file
            if (fails.test(target) || bytes.remaining() > FullDisk.this.free) {
              throw new IOException("No space left on device");
            }
            FullDisk.this.free -= bytes.remaining();
            AtomicFiles.REAL.write(target, channel, bytes);
          }

          @Override
          public long usableSpace(Path dir) throws IOException {
            // a disk full for some files only reports none free
            long left = FullDisk.this.free;
            return !under(dir)
                ? AtomicFiles.REAL.usableSpace(dir)
                : left >= Long.MAX_VALUE / 4 ? 0 : left;
          }
        };
  }

  /** Writes under {@code root} succeed until {@code bytes} more bytes have been written there. */
  public static FullDisk after(Path root, long bytes) {
    return new FullDisk(root, bytes, p -> false);
  }

  /**
   * Writes under {@code root} of files that {@code fails} accepts find the disk full; others
   * succeed.
   */
  public static FullDisk forFiles(Path root, Predicate<Path> fails) {
    return new FullDisk(root, Long.MAX_VALUE / 2, fails);
  }

  /** The bytes still free. */
  public long free() {
    return free;
  }

  private boolean under(Path p) {
    return p.toAbsolutePath().normalize().startsWith(root);
  }

  @Override
  public void close() {
    AtomicFiles.disk = AtomicFiles.REAL;
  }
}
