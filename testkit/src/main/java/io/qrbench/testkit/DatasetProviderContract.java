package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DatasetProvider} promises, as JUnit 5 tests: extend this class, name the
 * provider, a configuration and the size of each split, and each test opens the splits and checks
 * them.
 *
 * <p>The promises: each split has its declared size; images have one shape, that of {@link
 * DatasetProvider#input} when the provider declares one, and values in [0,1] written where asked
 * and nowhere else; labels index the class names; opening a split again gives the same labels and
 * pixels (a benchmark's images are the same in every run); reads from several threads give what one
 * thread reads (the runner loads batches in parallel).
 *
 * <p>Pixels are compared on {@link #sampleSize()} images spread over each split (its first and last
 * included), labels on every image.
 *
 * @param <C> the provider's configuration record
 */
public abstract class DatasetProviderContract<C extends Record> {

  /** The provider under test (a new instance, as the registry would make). */
  protected abstract DatasetProvider<C> provider();

  /** The configuration to open; for generated data, small enough to open quickly. */
  protected abstract C config();

  /** The number of images {@code split} has under {@link #config()}. */
  protected abstract int expectedSize(Split split);

  /** The splits to open. */
  protected List<Split> splits() {
    return List.of(Split.TRAIN, Split.TEST);
  }

  /** How many images of each split the pixel checks read. */
  protected int sampleSize() {
    return 64;
  }

  @Test
  public void isAWellFormedPlugin() {
    PluginChecks.assertWellFormed(provider(), config());
  }

  @Test
  public void eachSplitHasItsDeclaredSize() {
    for (Split split : splits()) {
      assertEquals(expectedSize(split), open(split).size(), split + ": size()");
    }
  }

  @Test
  public void imagesHaveOneShapeAndValuesInTheUnitInterval() {
    Optional<ModelInput> declared = provider().input(config());
    for (Split split : splits()) {
      ImageDataset d = open(split);
      assertTrue(
          d.channels() >= 1 && d.height() >= 1 && d.width() >= 1,
          split + ": shape " + d.channels() + "x" + d.height() + "x" + d.width());
      assertEquals(d.channels() * d.height() * d.width(), d.imageSize(), split + ": imageSize()");
      declared.ifPresent(
          in ->
              assertEquals(
                  in,
                  new ModelInput(d.channels(), d.height(), d.width(), d.classNames().size()),
                  split + ": the input() the provider declares without opening the data"));
      int per = d.imageSize();
      int offset = 7;
      for (int index : sample(d.size())) {
        float[] dst = new float[offset + per + 5];
        Arrays.fill(dst, -2f);
        d.readImage(index, dst, offset);
        for (int j = 0; j < dst.length; j++) {
          boolean inside = j >= offset && j < offset + per;
          if (!inside && dst[j] != -2f) {
            fail(
                split
                    + " image "
                    + index
                    + ": readImage wrote at "
                    + j
                    + ", outside [offset, offset + imageSize())");
          }
          if (inside && !(dst[j] >= 0f && dst[j] <= 1f)) {
            fail(
                split
                    + " image "
                    + index
                    + ": value "
                    + (j - offset)
                    + " is "
                    + dst[j]
                    + ", not in [0,1]");
          }
        }
      }
    }
  }

  @Test
  public void labelsIndexTheClassNames() {
    for (Split split : splits()) {
      ImageDataset d = open(split);
      List<String> names = d.classNames();
      assertNotNull(names, split + ": classNames()");
      assertTrue(names.size() >= 2, split + ": at least 2 classes, got " + names);
      assertEquals(
          names.size(),
          new HashSet<>(names).size(),
          split + ": class names are distinct: " + names);
      names.forEach(
          n -> assertFalse(n == null || n.isBlank(), split + ": a class name is blank: " + names));
      HashSet<Integer> seen = new HashSet<>();
      for (int i = 0; i < d.size(); i++) {
        int y = d.label(i);
        if (y < 0 || y >= names.size()) {
          fail(split + " image " + i + ": label " + y + " is not in [0, " + names.size() + ")");
        }
        seen.add(y);
      }
      assertTrue(
          d.size() < 2 * names.size() || seen.size() >= 2, split + ": more than one class appears");
    }
  }

  @Test
  public void openingASplitAgainGivesTheSameImages() {
    for (Split split : splits()) {
      // again from the same provider (a registry keeps one instance) and from a new one (another
      // run)
      DatasetProvider<C> provider = provider();
      ImageDataset a = provider.open(config(), split);
      assertNotNull(a, split + ": open() returned null");
      assertSameImages(
          split, a, provider.open(config(), split), "opened again by the same provider");
      assertSameImages(split, a, open(split), "opened by a new provider");
    }
  }

  @Test
  public void readsFromSeveralThreadsGiveWhatOneThreadReads() {
    for (Split split : splits()) {
      ImageDataset d = open(split);
      int[] indices = sample(d.size());
      float[][] one = new float[indices.length][];
      for (int k = 0; k < indices.length; k++) {
        one[k] = read(d, indices[k]);
      }
      float[][] many = new float[indices.length][];
      IntStream.range(0, indices.length).parallel().forEach(k -> many[k] = read(d, indices[k]));
      for (int k = 0; k < indices.length; k++) {
        assertTrue(
            Arrays.equals(one[k], many[k]),
            split + " image " + indices[k] + " read from another thread");
      }
    }
  }

  private void assertSameImages(Split split, ImageDataset a, ImageDataset b, String how) {
    assertNotNull(b, split + ": open() returned null");
    assertEquals(a.size(), b.size(), split + ": size when " + how);
    for (int i = 0; i < a.size(); i++) {
      if (a.label(i) != b.label(i)) {
        fail(
            split
                + " image "
                + i
                + ": label "
                + a.label(i)
                + ", then "
                + b.label(i)
                + " when "
                + how);
      }
    }
    for (int index : sample(a.size())) {
      if (!Arrays.equals(read(a, index), read(b, index))) {
        fail(split + " image " + index + ": other pixels when " + how);
      }
    }
  }

  private ImageDataset open(Split split) {
    ImageDataset d = provider().open(config(), split);
    assertNotNull(d, split + ": open() returned null");
    return d;
  }

  private static float[] read(ImageDataset d, int index) {
    float[] v = new float[d.imageSize()];
    d.readImage(index, v, 0);
    return v;
  }

  /**
   * Up to {@link #sampleSize()} indices spread evenly over {@code size}, the first and last
   * included.
   */
  private int[] sample(int size) {
    int n = Math.min(size, Math.max(2, sampleSize()));
    if (n <= 1) {
      return size == 0 ? new int[0] : new int[] {0};
    }
    return IntStream.range(0, n)
        .map(k -> (int) ((long) k * (size - 1) / (n - 1)))
        .distinct()
        .toArray();
  }
}
