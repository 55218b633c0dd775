package io.qrbench.testing;

import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.Split;
import java.util.List;
import java.util.SplittableRandom;

/** Test data: 3 classes of 3x8x8 images; class c has a brighter channel c, plus seeded noise. */
public final class TinyDataset implements DatasetProvider<TinyDataset.Config> {
  /**
   * @param size images per split
   */
  public record Config(Integer size) {
    public Config {
      size = size == null ? 96 : size;
      if (size < 1) {
        throw new IllegalArgumentException("size must be at least 1, was " + size);
      }
    }
  }

  @Override
  public String id() {
    return "tiny";
  }

  @Override
  public String description() {
    return "test data: 3 classes of 3x8x8 images";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public ImageDataset open(Config config, Split split) {
    return new Images(config.size(), split == Split.TRAIN ? 1 : 2);
  }

  /** The images, computed on read. */
  public record Images(int size, long seed) implements ImageDataset {
    @Override
    public int channels() {
      return 3;
    }

    @Override
    public int height() {
      return 8;
    }

    @Override
    public int width() {
      return 8;
    }

    @Override
    public List<String> classNames() {
      return List.of("red", "green", "blue");
    }

    @Override
    public int label(int index) {
      return index % 3;
    }

    @Override
    public void readImage(int index, float[] dst, int offset) {
      SplittableRandom r = new SplittableRandom(seed * 7919 + index);
      int label = label(index);
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 64; i++) {
          float base = c == label ? 0.7f : 0.3f;
          dst[offset + c * 64 + i] =
              (float) Math.min(1, Math.max(0, base + 0.15 * r.nextGaussian()));
        }
      }
    }
  }
}
