package io.qrbench.util;

import io.qrbench.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An exclusive lock on an output folder, so that two runs or trainings never write one folder at
 * once. It is an operating-system lock on {@value #FILE} in the folder, so a holder that dies, even
 * by {@code kill -9}, leaves it free; the file names the holder (pid, host, start, command) for the
 * message a second process gets.
 *
 * <p>The file stays when the lock is released, emptied: deleting it would let a process that had
 * opened it just before lock the deleted file while a third locks a new one. A file that is not
 * empty but can be locked was left by a holder that died: that is reported and taken over.
 */
public final class FolderLock implements AutoCloseable {
  /** The lock file inside a locked folder. */
  public static final String FILE = ".qrbench.lock";

  /**
   * Folders locked by this JVM. A second channel on a locked file must never be opened here: on
   * Linux, closing it would drop this JVM's lock on the file.
   */
  private static final Map<Path, String> HELD = new HashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir}, creating it if needed.
   *
   * @param command what holds the lock, for another process's message (e.g. {@code qrbench run
   *     x.yaml})
   * @param said told in one line when a stale lock of a dead holder is taken over
   * @throws ConfigException when another process, or another run in this one, holds it, or when
   *     {@code dir} is a file
   */
  public static FolderLock acquire(Path dir, String command, Consumer<String> said) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigException(
          dir.toAbsolutePath() + " is a file, not a folder; pass --out a folder");
    }
    try {
      Files.createDirectories(dir);
      Path key = dir.toRealPath();
      Path file = key.resolve(FILE);
      synchronized (HELD) {
        String mine = HELD.get(key);
        if (mine != null) {
          throw held(dir, mine);
        }
        FileChannel channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          // locked by other code in this JVM: closing this channel would release that lock, so keep
          // it open
          throw held(dir, "");
        }
        if (lock == null) {
          String holder = read(channel);
          channel.close();
          throw held(dir, holder);
        }
        String previous = read(channel);
        String me = describe(command);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        HELD.put(key, me);
        if (!previous.isBlank()) {
          said.accept(
              "taking over " + file + ": it was left by " + holder(previous) + ", which is gone");
        }
        return new FolderLock(key, channel, lock);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot lock " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Releases the lock, leaving the lock file empty (a free lock). */
  @Override
  public void close() {
    synchronized (HELD) {
      try {
        channel.truncate(0);
        lock.release();
        channel.close();
      } catch (IOException e) {
        // the lock goes with the process anyway; a non-empty file reads as stale and is taken over
      } finally {
        HELD.remove(key);
      }
    }
  }

  private static ConfigException held(Path dir, String holder) {
    return new ConfigException(
        dir.toAbsolutePath()
            + " is in use by "
            + holder(holder)
            + "; wait for it to finish (or stop it), or pass --out to write elsewhere");
  }

  /** The lock file's content: who holds it, one {@code key=value} a line. */
  private static String describe(String command) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("pid", Long.toString(ProcessHandle.current().pid()));
    m.put("host", host());
    m.put("started", Instant.now().toString());
    m.put("command", command.replaceAll("[\\r\\n]", " "));
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return b.toString();
  }

  /** A holder for a message: {@code qrbench run x.yaml (pid 12, host h, started 2024-...)}. */
  static String holder(String content) {
    Map<String, String> m = new HashMap<>();
    content
        .lines()
        .forEach(
            l -> {
              int eq = l.indexOf('=');
              if (eq > 0) {
                m.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
              }
            });
    if (!m.containsKey("pid")) {
      return "another qrbench process (its lock file does not say which)";
    }
    return "'"
        + m.getOrDefault("command", "qrbench")
        + "' (pid "
        + m.get("pid")
        + " on "
        + m.getOrDefault("host", "an unknown host")
        + ", started "
        + m.getOrDefault("started", "at an unknown time")
        + ")";
  }

  private static String read(FileChannel channel) {
    try {
      long size = channel.size();
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, 4096));
      while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
        // read on
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // Windows forbids reading a region another process has locked
    }
  }

  private static String host() {
    for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String h = System.getenv(var);
      if (h != null && !h.isBlank()) {
        return h.trim();
      }
    }
    try {
      Path etc = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(etc)) {
        return Files.readString(etc).trim();
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "an unknown host";
    }
  }
}
