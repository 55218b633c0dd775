package io.qrbench.datasets;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.ConfigException;
import io.qrbench.spi.DataFile;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fashion-MNIST: 28x28 grey images of 10 kinds of clothing, 60,000 train / 10,000 test, read from
 * its four idx files (plain or {@code .gz}) in the user's {@code folder} (only there when one is
 * named), else from Debian's package {@code dataset-fashion-mnist}. Nothing is downloaded: the
 * package is the mirror. Gzip's CRC-32 catches a damaged {@code .gz}; plain files have no checksum.
 */
public final class FashionMnistDataset implements DatasetProvider<FashionMnistDataset.Config> {
  static final int SIDE = 28;
  static final List<String> CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** Where {@code apt-get install dataset-fashion-mnist} puts the files ({@code dpkg -L}). */
  static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

  static final String FIX =
      "fix: apt-get install dataset-fashion-mnist, or set folder: to a folder holding "
          + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte"
          + " (each optionally .gz)";

  /**
   * Where the data is.
   *
   * @param folder a folder holding the four idx files; null for Debian's package. One that does not
   *     exist, is a file or holds none of them is an error, reported where the suite names it
   */
  public record Config(
      @JsonPropertyDescription(
              "a folder holding the four idx files (plain or .gz);"
                  + " default: Debian's dataset-fashion-mnist package")
          String folder) {
    public Config {
      if (folder != null && folder.isBlank()) {
        throw new IllegalArgumentException(
            "folder must name a folder; leave it out to use Debian's package");
      }
      if (folder != null) {
        checkFolder(DataCache.userPath(folder));
      }
    }
  }

  private final List<Path> systemFolders;

  /** The provider as users get it: Debian's package is the fallback. */
  public FashionMnistDataset() {
    this(List.of(DEBIAN));
  }

  /** A provider with other fallback folders, for tests. */
  FashionMnistDataset(List<Path> systemFolders) {
    this.systemFolders = List.copyOf(systemFolders);
  }

  @Override
  public String id() {
    return "fashion-mnist";
  }

  @Override
  public String description() {
    return "Fashion-MNIST: 28x28 grey images of 10 kinds of clothing, 60,000 train / 10,000 test"
        + " (from folder: or Debian's dataset-fashion-mnist)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Optional<ModelInput> input(Config config) {
    return Optional.of(new ModelInput(1, SIDE, SIDE, CLASSES.size()));
  }

  @Override
  public ImageDataset open(Config config, Split split) {
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    Path dir =
        locate(config, List.of(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"));
    Path imageFile = find(dir, prefix + "-images-idx3-ubyte").orElseThrow();
    Path labelFile = find(dir, prefix + "-labels-idx1-ubyte").orElseThrow();
    IdxFile images = IdxFile.read(imageFile, 3);
    IdxFile labels = IdxFile.read(labelFile, 1);
    if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
      throw new ConfigException(
          imageFile
              + " holds "
              + images.dims()[1]
              + "x"
              + images.dims()[2]
              + " images; Fashion-MNIST's are 28x28");
    }
    if (images.dims()[0] != labels.dims()[0]) {
      throw new ConfigException(
          imageFile
              + " holds "
              + images.dims()[0]
              + " images but "
              + labelFile
              + " holds "
              + labels.dims()[0]
              + " labels; they must be a matching pair");
    }
    for (int i = 0; i < labels.data().length; i++) {
      if ((labels.data()[i] & 0xff) >= CLASSES.size()) {
        throw new ConfigException(
            labelFile
                + ": label "
                + i
                + " is "
                + (labels.data()[i] & 0xff)
                + ", but Fashion-MNIST has 10 classes; the file is corrupt");
      }
    }
    return new ByteImageDataset(images.data(), labels.data(), 1, SIDE, SIDE, CLASSES);
  }

  /** Nothing to download; reports where the data was found, or how to get it. */
  @Override
  public void fetch(Config config, Consumer<String> log) {
    Path dir = locate(config, allNames());
    for (String name : allNames()) {
      Path f = find(dir, name).orElseThrow();
      IdxFile.read(f, name.contains("idx3") ? 3 : 1);
      log.accept("found " + f + ", idx header and size check out");
    }
  }

  /**
   * The four files. Fashion-MNIST publishes no checksums for the files Debian ships (it
   * re-compressed them), so {@code verified} means the idx header, magic number and size check out,
   * which is what a read would check.
   */
  @Override
  public List<DataFile> files(Config config) {
    List<Path> dirs = places(config).stream().map(Place::dir).toList();
    if (dirs.isEmpty()) {
      return List.of();
    }
    Path dir =
        dirs.stream()
            .filter(d -> allNames().stream().allMatch(n -> find(d, n).isPresent()))
            .findFirst()
            .orElse(dirs.get(0));
    List<DataFile> files = new ArrayList<>();
    for (String name : allNames()) {
      Optional<Path> f = find(dir, name);
      Path path = f.orElse(dir.resolve(name + ".gz"));
      boolean ok = f.isPresent() && wellFormed(path, name.contains("idx3") ? 3 : 1);
      files.add(new DataFile(path.getFileName().toString(), path, f.isPresent(), ok, size(path)));
    }
    return files;
  }

  /**
   * A named folder must exist and hold at least one of the files; what a split needs is checked on
   * open.
   */
  private static void checkFolder(Path dir) {
    String expected =
        "; it must hold Fashion-MNIST's "
            + String.join(", ", allNames())
            + " (each optionally .gz)"
            + "\n    fix: point folder: at the folder holding them, or leave folder: out to use Debian's dataset-fashion-mnist";
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("folder " + dir + " does not exist" + expected);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("folder " + dir + " is a file, not a folder" + expected);
    }
    if (allNames().stream().noneMatch(n -> find(dir, n).isPresent())) {
      throw new IllegalArgumentException(
          "folder " + dir + " holds none of Fashion-MNIST's idx files" + expected);
    }
  }

  private Path locate(Config config, List<String> names) {
    List<String> tried = new ArrayList<>();
    for (Place place : places(config)) {
      Path dir = place.dir();
      List<String> missing = names.stream().filter(n -> find(dir, n).isEmpty()).toList();
      if (missing.isEmpty()) {
        return dir;
      }
      String why =
          Files.isDirectory(dir)
              ? "lacks " + String.join(", ", missing) + " (plain or .gz)"
              : "does not exist";
      if (config.folder() != null) { // the user named the place: no fallback
        throw new ConfigException(
            "Fashion-MNIST folder "
                + dir
                + " (folder:) "
                + why
                + "\n    fix: put the idx files there, or leave folder: out to use Debian's dataset-fashion-mnist");
      }
      tried.add(dir + " (" + place.what() + "): " + why);
    }
    throw new ConfigException(
        "Fashion-MNIST is not available. Tried, in order:\n    - "
            + String.join("\n    - ", tried)
            + "\n    "
            + FIX);
  }

  /** A folder to look in, and what it is, for messages. */
  private record Place(Path dir, String what) {}

  private List<Place> places(Config config) {
    List<Place> places = new ArrayList<>();
    if (config.folder() != null) {
      return List.of(new Place(DataCache.userPath(config.folder()), "folder:"));
    }
    systemFolders.forEach(d -> places.add(new Place(d, "Debian's dataset-fashion-mnist")));
    return places;
  }

  /** The file {@code name} in {@code dir}: plain preferred, else gzip-compressed. */
  private static Optional<Path> find(Path dir, String name) {
    return Arrays.asList(dir.resolve(name), dir.resolve(name + ".gz")).stream()
        .filter(Files::isRegularFile)
        .findFirst();
  }

  private static List<String> allNames() {
    return List.of(
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte");
  }

  private static boolean wellFormed(Path file, int rank) {
    try {
      IdxFile.read(file, rank);
      return true;
    } catch (ConfigException e) {
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
