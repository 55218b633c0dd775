package io.qrbench.datasets;

import io.qrbench.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks files against published MD5 sums without re-reading 170 MB on every open: after a
 * successful check a marker {@code <file>.md5-ok} records the file's size, modification time and
 * MD5, and a later check trusts the marker while size and time are unchanged. Rewriting or
 * truncating the file changes them, so the next check hashes it again.
 */
final class Md5Check {
  static final String MARKER_SUFFIX = ".md5-ok";

  private Md5Check() {}

  /**
   * The outcome of one check.
   *
   * @param ok whether the file's MD5 equals the expected one
   * @param actual the file's MD5 (the expected one when a valid marker vouched for it)
   */
  record Result(boolean ok, String actual) {}

  /** Checks {@code file}, which must exist, against {@code expected}; writes a marker when it matches. */
  static Result check(Path file, String expected) throws IOException {
    String stamp = stamp(file);
    if (markerMatches(file, stamp, expected)) {
      return new Result(true, expected);
    }
    String actual = md5(file);
    boolean ok = actual.equalsIgnoreCase(expected);
    // Only vouch for what was hashed: if the file changed while it was read, leave no marker.
    if (ok && stamp.equals(stamp(file))) {
      writeMarker(file, stamp, actual);
    }
    return new Result(ok, actual);
  }

  /** Records that {@code file} has MD5 {@code md5}, e.g. right after writing it through a digest. */
  static void markVerified(Path file, String md5) throws IOException {
    writeMarker(file, stamp(file), md5);
  }

  static Path marker(Path file) {
    return file.resolveSibling(file.getFileName() + MARKER_SUFFIX);
  }

  /** The MD5 of a file's content, lower-case hex. */
  static String md5(Path file) throws IOException {
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  private static String stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.size() + " " + a.lastModifiedTime().toInstant();
  }

  private static boolean markerMatches(Path file, String stamp, String expected) {
    try {
      String text = Files.readString(marker(file), StandardCharsets.UTF_8).strip();
      return text.equals(stamp + " " + expected.toLowerCase(java.util.Locale.ROOT));
    } catch (IOException | UncheckedIOException e) {
      return false; // no marker, or an unreadable one: hash the file
    }
  }

  private static void writeMarker(Path file, String stamp, String md5) {
    try {
      AtomicFiles.write(marker(file), (stamp + " " + md5.toLowerCase(java.util.Locale.ROOT) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // A read-only folder (a user's data folder, say) just means hashing again next time.
    }
  }
}
