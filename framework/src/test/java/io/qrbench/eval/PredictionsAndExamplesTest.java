package io.qrbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.Metrics;
import io.qrbench.result.Outcomes;
import io.qrbench.result.Predictions;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.testing.TinyDataset;
import io.qrbench.testing.TinyLinearModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The evaluator records each image's label and top-1 class, and a few images as PNG. */
class PredictionsAndExamplesTest {
  private static final ModelInput INPUT = new ModelInput(3, 8, 8, 3);

  @Test
  void predictionsAgreeWithOutcomesAndLabelsWhateverTheBatchSize() {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data =
          new TinyDataset().open(new TinyDataset.Config(20), io.qrbench.spi.Split.TEST);
      Metrics small = new CaseEvaluator(data, 6, n -> {}).evaluateClean(m);
      Metrics whole = new CaseEvaluator(data, 20, n -> {}).evaluateClean(m);
      Predictions p = small.predictions();
      assertEquals(20, p.size());
      assertEquals(p, whole.predictions(), "the same whatever the batch size");
      int[] labels =
          new Batches(data, 20)
              .load(bm, null, 0, 20)[1]
              .toType(ai.djl.ndarray.types.DataType.INT32, false)
              .toIntArray();
      Outcomes o = small.outcomes();
      int right = 0;
      java.util.Set<Integer> classes = new java.util.HashSet<>();
      for (int i = 0; i < 20; i++) {
        assertEquals(labels[i], p.label(i), "image " + i);
        assertEquals(o.correct(i), p.predicted(i) == p.label(i), "image " + i);
        assertTrue(p.predicted(i) < 3);
        right += p.predicted(i) == p.label(i) ? 1 : 0;
        classes.add(p.label(i));
      }
      assertEquals(small.correct1(), right);
      assertTrue(classes.size() > 1, "the test data has more than one class");
    }
  }

  @Test
  void theFirstFourImagesAreKeptAsPngsOfTheirPixels() throws Exception {
    try (LoadedModel m = new LoadedModel("lin", TinyLinearModel.plain(INPUT), INPUT);
        NDManager bm = m.manager().newSubManager()) {
      m.freeze(true);
      ImageDataset data =
          new TinyDataset().open(new TinyDataset.Config(10), io.qrbench.spi.Split.TEST);
      Metrics clean = new CaseEvaluator(data, 3, n -> {}).evaluateClean(m);
      assertEquals(Metrics.MAX_EXAMPLES, clean.examples().size(), "four, from the first batch");
      NDArray x = new Batches(data, 10).load(bm, null, 0, 10)[0];
      float[] pixels = x.toFloatArray();
      for (int i = 0; i < 4; i++) {
        String uri = clean.examples().get(i);
        assertTrue(uri.startsWith("data:image/png;base64,"), uri);
        BufferedImage img =
            ImageIO.read(
                new ByteArrayInputStream(
                    Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))));
        assertEquals(8, img.getWidth());
        assertEquals(8, img.getHeight());
        int rgb = img.getRGB(5, 2);
        int at = i * 3 * 64 + 2 * 8 + 5;
        assertEquals(Math.round(pixels[at] * 255), (rgb >> 16) & 255, "red of image " + i);
        assertEquals(Math.round(pixels[at + 64] * 255), (rgb >> 8) & 255, "green");
        assertEquals(Math.round(pixels[at + 128] * 255), rgb & 255, "blue");
      }
    }
  }

  @Test
  void predictionsRoundTripAndOlderMetricsHaveNone() {
    Predictions p = Predictions.of(new int[] {0, 9, 255}, new int[] {1, 9, 3});
    Predictions back = Predictions.fromBase64(p.base64());
    assertEquals(p, back);
    assertEquals(255, back.label(2));
    assertEquals(3, back.predicted(2));
    Metrics old = new Metrics(1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, null, Map.of());
    assertNull(old.predictions());
    assertEquals(0, old.examples().size());
  }
}
