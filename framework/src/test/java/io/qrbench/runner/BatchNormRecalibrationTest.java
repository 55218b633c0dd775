package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.Split;
import io.qrbench.suite.AugmentSpec;
import io.qrbench.testing.TinyDataset;
import io.qrbench.train.Augmenter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchNormRecalibrationTest {

  @Test
  void runningStatisticsBecomeTheAverageOfTheBatchStatistics() {
    ModelInput input = new ModelInput(3, 8, 8, 3);
    SequentialBlock block =
        new SequentialBlock()
            .add(BatchNorm.builder().optMomentum(0.7f).build())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    ImageDataset data = new TinyDataset().open(new TinyDataset.Config(50), Split.TRAIN);
    try (LoadedModel m = new LoadedModel("bn", block, input)) {
      m.freeze(true);
      int used = BatchNormRecalibration.run(m, data, 4, 10);
      assertEquals(40, used);
      // expected: per batch of 10 augmented images, the channel mean; then the mean of the 4 batch
      // means
      Augmenter aug = new Augmenter(AugmentSpec.standard(), 3, 8, 8);
      double[] expected = new double[3];
      for (int b = 0; b < 4; b++) {
        double[] batch = new double[3];
        for (int i = b * 10; i < (b + 1) * 10; i++) {
          float[] px = new float[192];
          data.readImage(i, px, 0);
          aug.apply(px, 0, new SplittableRandom(i));
          for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 64; k++) {
              batch[c] += px[c * 64 + k] / 640.0;
            }
          }
        }
        for (int c = 0; c < 3; c++) {
          expected[c] += batch[c] / 4;
        }
      }
      float[] mean = null;
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().getType().equals(Parameter.Type.RUNNING_MEAN)) {
          mean = p.getValue().getArray().toFloatArray();
        }
      }
      for (int c = 0; c < 3; c++) {
        assertEquals(
            expected[c],
            mean[c],
            1e-4,
            "channel " + c + ": whatever the layer's momentum (0.7 here)");
      }
    }
  }
}
