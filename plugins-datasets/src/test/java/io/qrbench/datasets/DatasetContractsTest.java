package io.qrbench.datasets;

import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.Split;
import io.qrbench.testing.MachineRequirement;
import io.qrbench.testkit.DatasetProviderContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The datasets of this module against the test kit's contract (qrbench-testkit), as a third-party
 * dataset would be tested: the synthetic one always, CIFAR-10 from the qrbench data cache and
 * Fashion-MNIST from Debian's package where they are (skipped with the reason on a machine without
 * them, failed in CI, which installs both).
 */
class DatasetContractsTest {

  @Nested
  class Synthetic extends DatasetProviderContract<SyntheticDataset.Config> {
    @Override
    protected DatasetProvider<SyntheticDataset.Config> provider() {
      return new SyntheticDataset();
    }

    @Override
    protected SyntheticDataset.Config config() {
      return new SyntheticDataset.Config(96, 40, null, 7L);
    }

    @Override
    protected int expectedSize(Split split) {
      return split == Split.TRAIN ? 96 : 40;
    }
  }

  @Nested
  class Cifar10 extends DatasetProviderContract<Cifar10Dataset.Config> {
    private final Path cache = DataCache.root().resolve("cifar10");

    @BeforeEach
    void needsTheCache() {
      MachineRequirement.require(
          Files.isRegularFile(cache.resolve("test_batch.bin"))
              && Files.isRegularFile(cache.resolve("data_batch_5.bin")),
          "CIFAR-10 is not in the qrbench data cache (" + cache + ")",
          "run 'bin/qrbench data fetch cifar10' to test it");
    }

    @Override
    protected DatasetProvider<Cifar10Dataset.Config> provider() {
      // the cache only: a test never downloads
      Cifar10Sources.Settings real = Cifar10Sources.Settings.defaults();
      return new Cifar10Dataset(
          new Cifar10Sources.Settings(
              List.of(Cifar10Sources.Source.CACHE),
              real.cacheRoot(),
              real.officialUrl(),
              real.npmSpec(),
              real.npm(),
              real.md5(),
              real.notices()));
    }

    @Override
    protected Cifar10Dataset.Config config() {
      return new Cifar10Dataset.Config(null, false);
    }

    @Override
    protected int expectedSize(Split split) {
      return split == Split.TRAIN ? 50_000 : 10_000;
    }
  }

  @Nested
  class FashionMnist extends DatasetProviderContract<FashionMnistDataset.Config> {
    @BeforeEach
    void needsTheDebianPackage() {
      MachineRequirement.require(
          Files.isRegularFile(FashionMnistDataset.DEBIAN.resolve("t10k-images-idx3-ubyte.gz")),
          "Fashion-MNIST is not installed in " + FashionMnistDataset.DEBIAN,
          "apt-get install dataset-fashion-mnist to test it");
    }

    @Override
    protected DatasetProvider<FashionMnistDataset.Config> provider() {
      return new FashionMnistDataset();
    }

    @Override
    protected FashionMnistDataset.Config config() {
      return new FashionMnistDataset.Config(null);
    }

    @Override
    protected int expectedSize(Split split) {
      return split == Split.TRAIN ? 60_000 : 10_000;
    }
  }
}
