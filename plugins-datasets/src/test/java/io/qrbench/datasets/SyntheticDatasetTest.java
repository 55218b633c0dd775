package io.qrbench.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.Split;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {
  private static final SyntheticDataset PROVIDER = new SyntheticDataset();

  private static float[] image(ImageDataset d, int i) {
    float[] v = new float[d.imageSize()];
    d.readImage(i, v, 0);
    return v;
  }

  @Test
  void shapeAndSizesFollowTheConfig() {
    SyntheticDataset.Config c = new SyntheticDataset.Config(300, 120, null, null);
    ImageDataset train = PROVIDER.open(c, Split.TRAIN);
    ImageDataset test = PROVIDER.open(c, Split.TEST);
    assertEquals(300, train.size());
    assertEquals(120, test.size());
    assertEquals(3 * 32 * 32, test.imageSize());
    assertEquals(10, test.classNames().size());
  }

  @Test
  void theDeclaredInputIsWhatOpeningGives() {
    SyntheticDataset.Config c = new SyntheticDataset.Config(5, 5, null, null);
    ImageDataset d = PROVIDER.open(c, Split.TEST);
    assertEquals(
        new io.qrbench.spi.ModelInput(d.channels(), d.height(), d.width(), d.classNames().size()),
        PROVIDER.input(c).orElseThrow());
  }

  @Test
  void theSameSeedGivesTheSameImagesAndSplitsDiffer() {
    SyntheticDataset.Config c = new SyntheticDataset.Config(50, 50, null, 3L);
    ImageDataset a = PROVIDER.open(c, Split.TEST);
    ImageDataset b = PROVIDER.open(c, Split.TEST);
    ImageDataset train = PROVIDER.open(c, Split.TRAIN);
    ImageDataset other = PROVIDER.open(new SyntheticDataset.Config(50, 50, null, 4L), Split.TEST);
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(image(a, i), image(b, i));
      assertEquals(a.label(i), b.label(i));
    }
    assertFalse(Arrays.equals(image(a, 0), image(train, 0)), "train and test are different images");
    assertFalse(Arrays.equals(image(a, 0), image(other, 0)), "another seed, another data set");
  }

  @Test
  void pixelsAre8BitValuesInTheUnitIntervalAndClassesAreBalanced() {
    ImageDataset d = PROVIDER.open(new SyntheticDataset.Config(10, 2000, null, null), Split.TEST);
    int[] counts = new int[10];
    for (int i = 0; i < d.size(); i++) {
      counts[d.label(i)]++;
      for (float v : image(d, i)) {
        assertTrue(v >= 0 && v <= 1);
        assertEquals(Math.round(v * 255), v * 255, 1e-3, "values are k/255");
      }
    }
    for (int c : counts) {
      assertTrue(c > 140 && c < 260, "about 200 per class: " + Arrays.toString(counts));
    }
  }

  @Test
  void badSizesAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SyntheticDataset.Config(0, 10, null, null));
    assertTrue(e.getMessage().contains("train-size"), e.getMessage());
  }
}
