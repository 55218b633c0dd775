package io.qrbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import io.qrbench.spi.DataFile;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.Split;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistDatasetTest {
  @TempDir Path tmp;

  /** An idx file: magic 0x000008DD, the sizes, then the bytes. */
  static byte[] idx(int rank, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeInt(0x0800 | rank);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return b.toByteArray();
  }

  private final byte[] trainImages = new byte[5 * 28 * 28];
  private final byte[] trainLabels = {0, 1, 9, 4, 7};
  private final byte[] testImages = new byte[3 * 28 * 28];
  private final byte[] testLabels = {3, 8, 2};

  FashionMnistDatasetTest() {
    new Random(1).nextBytes(trainImages);
    new Random(2).nextBytes(testImages);
  }

  /** Writes the four files, gzip-compressed or not. */
  private Path write(Path dir, boolean gz) throws IOException {
    Files.createDirectories(dir);
    put(dir, "train-images-idx3-ubyte", idx(3, new int[] {5, 28, 28}, trainImages), gz);
    put(dir, "train-labels-idx1-ubyte", idx(1, new int[] {5}, trainLabels), gz);
    put(dir, "t10k-images-idx3-ubyte", idx(3, new int[] {3, 28, 28}, testImages), gz);
    put(dir, "t10k-labels-idx1-ubyte", idx(1, new int[] {3}, testLabels), gz);
    return dir;
  }

  private static void put(Path dir, String name, byte[] content, boolean gz) throws IOException {
    Files.write(dir.resolve(gz ? name + ".gz" : name), gz ? TinyTar.gzip(content) : content);
  }

  private static FashionMnistDataset.Config folder(Path dir) {
    return new FashionMnistDataset.Config(dir.toString());
  }

  private FashionMnistDataset noSystemCopy() {
    return new FashionMnistDataset(List.of(tmp.resolve("usr-share-datasets-fashion-mnist")));
  }

  private static void assertHolds(ImageDataset d, byte[] images, byte[] labels) {
    assertEquals(labels.length, d.size());
    assertEquals(1, d.channels());
    assertEquals(28, d.height());
    assertEquals(28, d.width());
    assertEquals("T-shirt/top", d.classNames().get(0));
    assertEquals("Ankle boot", d.classNames().get(9));
    float[] img = new float[784];
    for (int i = 0; i < labels.length; i++) {
      assertEquals(labels[i], d.label(i));
      d.readImage(i, img, 0);
      for (int p = 0; p < 784; p++) {
        assertEquals((images[i * 784 + p] & 0xff) / 255f, img[p]);
      }
    }
  }

  @Test
  void readsPlainIdxFiles() throws IOException {
    Path dir = write(tmp.resolve("plain"), false);
    assertHolds(noSystemCopy().open(folder(dir), Split.TRAIN), trainImages, trainLabels);
    assertHolds(noSystemCopy().open(folder(dir), Split.TEST), testImages, testLabels);
  }

  @Test
  void theDeclaredInputIsWhatOpeningGives() throws IOException {
    Path dir = write(tmp.resolve("shape"), false);
    ImageDataset d = noSystemCopy().open(folder(dir), Split.TEST);
    assertEquals(
        new io.qrbench.spi.ModelInput(d.channels(), d.height(), d.width(), d.classNames().size()),
        noSystemCopy().input(folder(dir)).orElseThrow());
  }

  @Test
  void readsGzippedIdxFiles() throws IOException {
    Path dir = write(tmp.resolve("gz"), true);
    assertHolds(noSystemCopy().open(folder(dir), Split.TRAIN), trainImages, trainLabels);
    assertHolds(noSystemCopy().open(folder(dir), Split.TEST), testImages, testLabels);
  }

  @Test
  void theSystemPackageIsTheFallback() throws IOException {
    Path system = write(tmp.resolve("usr-share-datasets-fashion-mnist"), true);
    assertHolds(
        new FashionMnistDataset(List.of(system))
            .open(new FashionMnistDataset.Config(null), Split.TEST),
        testImages,
        testLabels);
  }

  @Test
  void aBadMagicNumberIsAClearError() throws IOException {
    Path dir = write(tmp.resolve("bad"), false);
    // the labels file where the images should be
    Files.copy(
        dir.resolve("t10k-labels-idx1-ubyte"),
        dir.resolve("t10k-images-idx3-ubyte"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ConfigException e =
        assertThrows(ConfigException.class, () -> noSystemCopy().open(folder(dir), Split.TEST));
    String m = e.getMessage();
    assertTrue(m.contains(dir.resolve("t10k-images-idx3-ubyte").toString()), m);
    assertTrue(m.contains("magic number is 0x00000801, expected 0x00000803"), m);
    assertTrue(m.contains("fix:"), m);
  }

  @Test
  void truncatedAndMismatchedFilesAreClearErrors() throws IOException {
    Path dir = write(tmp.resolve("cut"), false);
    byte[] full = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
    Files.write(
        dir.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(full, full.length - 10));
    ConfigException e =
        assertThrows(ConfigException.class, () -> noSystemCopy().open(folder(dir), Split.TRAIN));
    assertTrue(
        e.getMessage().contains("is truncated") && e.getMessage().contains("3920 bytes"),
        e.getMessage());

    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(1, new int[] {2}, new byte[] {1, 2}));
    e = assertThrows(ConfigException.class, () -> noSystemCopy().open(folder(dir), Split.TEST));
    assertTrue(e.getMessage().contains("holds 3 images but"), e.getMessage());
  }

  @Test
  void missingDataSaysHowToInstallIt() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> noSystemCopy().open(new FashionMnistDataset.Config(null), Split.TEST));
    String m = e.getMessage();
    assertTrue(
        m.contains(
            "usr-share-datasets-fashion-mnist (Debian's dataset-fashion-mnist): does not exist"),
        m);
    assertTrue(m.contains("apt-get install dataset-fashion-mnist") && m.contains("set folder:"), m);
  }

  @Test
  void aFolderThatDoesNotExistIsAFileOrIsEmptyIsAnErrorNamingTheFilesExpected() throws IOException {
    Path missing = tmp.resolve("nothing");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    for (Path p : List.of(missing, file, empty)) {
      String m = assertThrows(IllegalArgumentException.class, () -> folder(p)).getMessage();
      assertTrue(m.startsWith("folder " + p + " "), m);
      assertTrue(m.contains("t10k-images-idx3-ubyte") && m.contains("train-labels-idx1-ubyte"), m);
      assertTrue(m.contains("fix: ") && m.contains("leave folder: out"), m);
    }
  }

  @Test
  void aFolderLackingTheSplitsFilesIsAnErrorNotAFallBackToDebiansPackage() throws IOException {
    Path system = write(tmp.resolve("usr-share-datasets-fashion-mnist"), true);
    Path dir = write(tmp.resolve("mine"), false);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> new FashionMnistDataset(List.of(system)).open(folder(dir), Split.TEST));
    String m = e.getMessage();
    assertTrue(
        m.startsWith("Fashion-MNIST folder " + dir + " (folder:) lacks t10k-labels-idx1-ubyte"), m);
    assertTrue(m.contains("fix: "), m);
  }

  @Test
  void aFlippedByteInAGzippedFileIsCaughtByItsCrc() throws IOException {
    Path dir = write(tmp.resolve("gz"), true);
    Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length / 2] ^= 1;
    Files.write(f, bytes);
    ConfigException e =
        assertThrows(ConfigException.class, () -> noSystemCopy().open(folder(dir), Split.TEST));
    assertTrue(
        e.getMessage().contains(f.toString()) && e.getMessage().contains("fix:"), e.getMessage());
  }

  @Test
  void filesListsTheFourFiles() throws IOException {
    Path dir = write(tmp.resolve("gz"), true);
    List<DataFile> files = noSystemCopy().files(folder(dir));
    assertEquals(
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"),
        files.stream().map(DataFile::name).toList());
    assertTrue(
        files.stream().allMatch(f -> f.present() && f.verified() && f.bytes() > 0),
        files.toString());
  }
}
