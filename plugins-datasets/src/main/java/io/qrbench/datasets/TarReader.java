package io.qrbench.datasets;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Hands each regular file of a tar stream to a handler, reading the archive with Commons Compress
 * (ustar, GNU long names, pax headers) and turning its failures into the messages a person fetching
 * CIFAR-10 can act on: a truncated download, or something that is no archive at all (an HTML error
 * page, say). Entry names are passed on as the archive gives them; callers keep only the base name,
 * so no entry can write outside their folder.
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
    Counting counted = new Counting(in);
    // never closed: the caller owns the stream, and closing this would close it
    TarArchiveInputStream tar = new TarArchiveInputStream(counted);
    TarArchiveEntry e;
    while ((e = next(tar)) != null) {
      if (!e.isCheckSumOK()) {
        throw new IOException("not a tar archive, or a damaged one (bad header checksum)");
      }
      switch (e.getLinkFlag()) {
        case '0', '\0', '7' -> handler.entry(e.getName(), e.getSize(), new Body(tar));
        default -> {} // folders, links, devices: Commons Compress skips their bodies
      }
    }
    if (counted.count % BLOCK != 0) {
      // Commons Compress takes a short last header for the end; a whole archive is made of blocks
      throw new EOFException(
          "the archive is truncated (a header of " + counted.count % BLOCK + " bytes)");
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw truncated(e)
          ? truncation(e)
          : new IOException("not a tar archive, or a damaged one (" + e.getMessage() + ")", e);
    }
  }

  /** Commons Compress reports a stream that ends inside an entry as "Truncated TAR archive". */
  private static boolean truncated(IOException e) {
    return e instanceof EOFException
        || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("truncated");
  }

  private static EOFException truncation(IOException cause) {
    EOFException e = new EOFException("the archive is truncated");
    e.initCause(cause);
    return e;
  }

  /** One entry's body: ends at the entry's end and never closes the archive stream. */
  private static final class Body extends FilterInputStream {
    Body(TarArchiveInputStream tar) {
      super(tar);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw truncated(e) ? truncation(e) : e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw truncated(e) ? truncation(e) : e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw truncated(e) ? truncation(e) : e;
      }
    }

    @Override
    public void close() {
      // the archive stream belongs to the reader
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Counts the bytes the archive reader takes, to tell a cut-off header from the archive's end. */
  private static final class Counting extends FilterInputStream {
    private long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(n);
      count += s;
      return s;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
