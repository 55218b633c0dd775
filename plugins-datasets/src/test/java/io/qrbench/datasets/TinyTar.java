package io.qrbench.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes small ustar archives for tests, optionally gzip-compressed, the way tar and npm do. */
final class TinyTar {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Adds a regular file. */
  TinyTar file(String name, byte[] content) {
    header(name, content.length, '0');
    pad(content);
    return this;
  }

  /** Adds a folder entry, which readers must skip. */
  TinyTar folder(String name) {
    header(name, 0, '5');
    return this;
  }

  /** Adds a file whose name is carried by a pax extended header, as for names over 100 bytes. */
  TinyTar paxFile(String name, byte[] content) {
    String record = " path=" + name + "\n";
    int len = record.length();
    len += String.valueOf(len + String.valueOf(len).length()).length();
    byte[] pax = (len + record).getBytes(StandardCharsets.UTF_8);
    header("PaxHeader/x", pax.length, 'x');
    pad(pax);
    return file("short-name-that-must-be-ignored", content);
  }

  /**
   * Adds a file whose name is carried by a GNU long-name record, as GNU tar writes names over 100
   * bytes.
   */
  TinyTar gnuLongNameFile(String name, byte[] content) {
    byte[] record = (name + "\0").getBytes(StandardCharsets.UTF_8);
    header("././@LongLink", record.length, 'L');
    pad(record);
    return file("short-name-that-must-be-ignored", content);
  }

  /** Adds a symbolic link, which readers must skip. */
  TinyTar symlink(String name) {
    header(name, 0, '2');
    return this;
  }

  /** The archive, ended by two zero blocks. */
  byte[] bytes() {
    byte[] end = new byte[1024];
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(end);
    return copy.toByteArray();
  }

  /** The archive, gzip-compressed. */
  byte[] gzipped() {
    return gzip(bytes());
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  private void header(String name, long size, char type) {
    byte[] h = new byte[512];
    put(h, 0, name.length() > 100 ? name.substring(0, 100) : name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", 1_600_000_000L));
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    out.writeBytes(h);
  }

  private void pad(byte[] content) {
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
