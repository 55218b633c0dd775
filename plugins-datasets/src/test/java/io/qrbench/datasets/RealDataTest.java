package io.qrbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.Split;
import io.qrbench.testing.MachineRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real data sets, where this machine has them: CIFAR-10 in the qrbench data cache (put there by
 * 'qrbench data fetch cifar10') and Fashion-MNIST from Debian's package. Absent data skips the test
 * with the reason (fails it in CI, which has both); present but corrupt data fails it.
 */
class RealDataTest {

  private static int[] perClass(ImageDataset d) {
    int[] counts = new int[d.classNames().size()];
    for (int i = 0; i < d.size(); i++) {
      counts[d.label(i)]++;
    }
    return counts;
  }

  @Test
  void realCifar10TestSplitFromTheCache() {
    Path cache = DataCache.root().resolve("cifar10");
    MachineRequirement.require(
        Files.isRegularFile(cache.resolve("test_batch.bin")),
        "CIFAR-10 is not in the qrbench data cache (" + cache + ")",
        "run 'bin/qrbench data fetch cifar10' to test it");
    Cifar10Sources.Settings real = Cifar10Sources.Settings.defaults();
    // Read the cache only: a test never downloads.
    Cifar10Dataset p =
        new Cifar10Dataset(
            new Cifar10Sources.Settings(
                List.of(Cifar10Sources.Source.CACHE),
                real.cacheRoot(),
                real.officialUrl(),
                real.npmSpec(),
                real.npm(),
                real.md5(),
                real.notices()));
    ImageDataset test = p.open(new Cifar10Dataset.Config(null, false), Split.TEST);
    assertEquals(10_000, test.size());
    int[] thousand = new int[10];
    java.util.Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, perClass(test));
    assertEquals(
        "cat", test.classNames().get(test.label(0)), "the first test image is the well-known cat");
    if (Files.isRegularFile(cache.resolve("data_batch_5.bin"))) {
      ImageDataset train = p.open(new Cifar10Dataset.Config(null, false), Split.TRAIN);
      int[] fiveThousand = new int[10];
      java.util.Arrays.fill(fiveThousand, 5000);
      assertArrayEquals(fiveThousand, perClass(train));
    }
  }

  @Test
  void realFashionMnistFromDebian() {
    Path dir = FashionMnistDataset.DEBIAN;
    MachineRequirement.require(
        Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz")),
        "Fashion-MNIST is not installed in " + dir,
        "apt-get install dataset-fashion-mnist to test it");
    FashionMnistDataset p = new FashionMnistDataset();
    FashionMnistDataset.Config c = new FashionMnistDataset.Config(null);
    ImageDataset test = p.open(c, Split.TEST);
    assertEquals(10_000, test.size());
    int[] thousand = new int[10];
    java.util.Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, perClass(test));
    assertEquals(60_000, p.open(c, Split.TRAIN).size());
  }
}
