package io.qrbench.datasets;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A seeded, learnable stand-in for CIFAR-10: 10 classes of 32x32 RGB 8-bit images. Class c is a
 * sinusoidal grating at orientation 18c degrees tinted with a class colour; each image draws its
 * own phase, contrast, brightness and pixel noise. A small CNN learns it in seconds, and noise
 * makes it harder, which is what tests and demos need.
 */
public final class SyntheticDataset implements DatasetProvider<SyntheticDataset.Config> {
  static final int CLASSES = 10;
  static final int SIZE = 32;

  /** A split is one byte array: 3 KB per image, and an array holds at most 2 GB. */
  static final int MAX_IMAGES = 500_000;

  static final String MEMORY =
      "a split is held in memory, 3 KB per image: 500,000 are 1.5 GB (CIFAR-10 has 50,000)";

  /**
   * The data set's shape and difficulty.
   *
   * @param trainSize images in the train split
   * @param testSize images in the test split
   * @param noise standard deviation of the per-pixel noise, in [0,1] units
   * @param seed which data set: the same seed gives the same images
   */
  public record Config(
      @JsonPropertyDescription("images in the train split")
          @Bound(min = 1, max = MAX_IMAGES, why = MEMORY)
          Integer trainSize,
      @JsonPropertyDescription("images in the test split")
          @Bound(min = 1, max = MAX_IMAGES, why = MEMORY)
          Integer testSize,
      @JsonPropertyDescription("standard deviation of per-pixel noise, [0,1] units")
          @Bound(min = 0, max = 1)
          Double noise,
      @JsonPropertyDescription("which data set; the same seed gives the same images")
          @Bound(why = "a seed is a 64-bit integer")
          Long seed) {
    public Config {
      trainSize = trainSize == null ? 5000 : trainSize;
      testSize = testSize == null ? 1000 : testSize;
      noise = noise == null ? 0.08 : noise;
      seed = seed == null ? 20160101L : seed;
      if (trainSize < 1 || testSize < 1) {
        throw new IllegalArgumentException("train-size and test-size must be at least 1");
      }
      if (!(noise >= 0)) {
        throw new IllegalArgumentException("noise must be >= 0, was " + noise);
      }
    }
  }

  @Override
  public String id() {
    return "synthetic";
  }

  @Override
  public String description() {
    return "seeded, learnable 10-class 32x32 RGB images (oriented coloured gratings) for tests and demos";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Optional<ModelInput> input(Config config) {
    return Optional.of(new ModelInput(3, SIZE, SIZE, CLASSES));
  }

  @Override
  public ImageDataset open(Config config, Split split) {
    int n = split == Split.TRAIN ? config.trainSize() : config.testSize();
    long base = config.seed() * 31 + split.ordinal();
    float[][] tint = tints(config.seed());
    byte[] pixels = new byte[n * 3 * SIZE * SIZE];
    byte[] labels = new byte[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              SplittableRandom r = new SplittableRandom(base * 1_000_003L + i);
              int label = r.nextInt(CLASSES);
              labels[i] = (byte) label;
              draw(label, tint[label], r, config.noise(), pixels, i * 3 * SIZE * SIZE);
            });
    List<String> names = IntStream.range(0, CLASSES).mapToObj(c -> "grating-" + (18 * c)).toList();
    return new ByteImageDataset(pixels, labels, 3, SIZE, SIZE, names);
  }

  private static float[][] tints(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] t = new float[CLASSES][3];
    for (float[] c : t) {
      for (int ch = 0; ch < 3; ch++) {
        c[ch] = (float) (0.4 + 0.6 * r.nextDouble());
      }
    }
    return t;
  }

  private static void draw(
      int label, float[] tint, SplittableRandom r, double noise, byte[] out, int offset) {
    double angle = Math.PI * label / CLASSES;
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double freq = 2 * Math.PI * (2.5 + r.nextDouble()) / SIZE;
    double phase = 2 * Math.PI * r.nextDouble();
    double contrast = 0.25 + 0.15 * r.nextDouble();
    double brightness = 0.35 + 0.3 * r.nextDouble();
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          double wave = Math.sin(freq * (x * cos + y * sin) + phase);
          double v = brightness + contrast * tint[ch] * wave + noise * r.nextGaussian();
          int b = (int) Math.round(255 * Math.min(1, Math.max(0, v)));
          out[offset + (ch * SIZE + y) * SIZE + x] = (byte) b;
        }
      }
    }
  }
}
