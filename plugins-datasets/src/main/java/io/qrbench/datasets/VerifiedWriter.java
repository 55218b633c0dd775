package io.qrbench.datasets;

import io.qrbench.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Puts a data file into place only once it is known to be right: the content is written to a
 * temporary name beside the target while its MD5 is computed, and renamed over the target only when
 * the MD5 matches. Readers never see a partial or wrong file, and a failure leaves nothing.
 */
final class VerifiedWriter {
  private VerifiedWriter() {}

  /** Produces a file's content. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code dir/name} from {@code body} if its MD5 is {@code expectedMd5}.
   *
   * @throws IOException when writing fails or the MD5 differs; the target is then untouched
   */
  static void install(Path dir, String name, String expectedMd5, Body body) throws IOException {
    Files.createDirectories(dir);
    // Not Files.createTempFile: its owner-only permissions would stay on the data file, and a
    // shared cache ($QRBENCH_DATA for a whole group) needs the umask's permissions.
    Path tmp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    try {
      MessageDigest md = Md5Check.newDigest();
      try (OutputStream out =
          new DigestOutputStream(
              new BufferedOutputStream(
                  Files.newOutputStream(
                      tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  1 << 16),
              md)) {
        body.write(out);
      }
      String actual = HexFormat.of().formatHex(md.digest());
      if (!actual.equalsIgnoreCase(expectedMd5)) {
        throw new IOException(name + " has MD5 " + actual + ", expected " + expectedMd5);
      }
      AtomicFiles.move(tmp, dir.resolve(name));
      // the size-and-time marker earlier versions wrote beside each file vouches for nothing now
      Files.deleteIfExists(dir.resolve(name + ".md5-ok"));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
