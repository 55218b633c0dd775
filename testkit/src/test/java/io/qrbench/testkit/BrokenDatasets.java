package io.qrbench.testkit;

import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A correct generated dataset (seeded 8-bit images, label = index mod 3) and variants of it that
 * each break one promise, with the contract tests that run them (nested classes: the build runs
 * them only through {@link DatasetProviderContractTest}).
 */
final class BrokenDatasets {
  private BrokenDatasets() {}

  /** The generated dataset takes no settings: 30 train and 12 test images of 3x4x4. */
  record Config() {}

  /** How each variant goes wrong. */
  enum Fault {
    NONE,
    OTHER_IMAGES_EACH_OPEN,
    LABEL_OUT_OF_RANGE,
    WRITES_PAST_THE_IMAGE,
    ONE_IMAGE_SHORT,
    DECLARES_ANOTHER_SHAPE
  }

  static final class Generated implements DatasetProvider<Config> {
    private static final Shape IMAGE = new Shape(3, 4, 4);
    private final Fault fault;
    private final AtomicInteger opened = new AtomicInteger();

    Generated(Fault fault) {
      this.fault = fault;
    }

    @Override
    public String id() {
      return "generated";
    }

    @Override
    public String description() {
      return "test dataset: seeded 8-bit images";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public Optional<ModelInput> input(Config config) {
      return Optional.of(new ModelInput(3, 4, fault == Fault.DECLARES_ANOTHER_SHAPE ? 5 : 4, 3));
    }

    @Override
    public ImageDataset open(Config config, Split split) {
      int size = (split == Split.TRAIN ? 30 : 12) - (fault == Fault.ONE_IMAGE_SHORT ? 1 : 0);
      int base =
          (split == Split.TRAIN ? 0 : 1000)
              + (fault == Fault.OTHER_IMAGES_EACH_OPEN ? 77 * opened.incrementAndGet() : 0);
      return new ImageDataset() {
        @Override
        public int size() {
          return size;
        }

        @Override
        public int channels() {
          return 3;
        }

        @Override
        public int height() {
          return 4;
        }

        @Override
        public int width() {
          return 4;
        }

        @Override
        public List<String> classNames() {
          return List.of("red", "green", "blue");
        }

        @Override
        public int label(int index) {
          return fault == Fault.LABEL_OUT_OF_RANGE && index == size - 1 ? 3 : index % 3;
        }

        @Override
        public void readImage(int index, float[] dst, int offset) {
          float[] v = TestImages.pixels(base + index, IMAGE);
          System.arraycopy(v, 0, dst, offset, v.length);
          if (fault == Fault.WRITES_PAST_THE_IMAGE) {
            dst[offset + v.length] = 0f;
          }
        }
      };
    }
  }

  abstract static class Contract extends DatasetProviderContract<Config> {
    abstract Fault fault();

    @Override
    protected DatasetProvider<Config> provider() {
      return new Generated(fault());
    }

    @Override
    protected Config config() {
      return new Config();
    }

    @Override
    protected int expectedSize(Split split) {
      return split == Split.TRAIN ? 30 : 12;
    }
  }

  static class Correct extends Contract {
    @Override
    Fault fault() {
      return Fault.NONE;
    }
  }

  static class OtherImagesEachOpen extends Contract {
    @Override
    Fault fault() {
      return Fault.OTHER_IMAGES_EACH_OPEN;
    }
  }

  static class LabelOutOfRange extends Contract {
    @Override
    Fault fault() {
      return Fault.LABEL_OUT_OF_RANGE;
    }
  }

  static class WritesPastTheImage extends Contract {
    @Override
    Fault fault() {
      return Fault.WRITES_PAST_THE_IMAGE;
    }
  }

  static class OneImageShort extends Contract {
    @Override
    Fault fault() {
      return Fault.ONE_IMAGE_SHORT;
    }
  }

  static class DeclaresAnotherShape extends Contract {
    @Override
    Fault fault() {
      return Fault.DECLARES_ANOTHER_SHAPE;
    }
  }
}
