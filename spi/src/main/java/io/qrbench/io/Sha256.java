package io.qrbench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as lower-case hex, for fingerprints that follow what a file holds, not where it
 * lies.
 */
public final class Sha256 {
  private Sha256() {}

  /** A fresh SHA-256 digest (every Java platform has one). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The digest of {@code file}'s content, read in blocks.
   *
   * @param what what the file is, for the message if it cannot be read (e.g. "weights file")
   */
  public static String of(Path file, String what) {
    MessageDigest md = digest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " " + file, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
