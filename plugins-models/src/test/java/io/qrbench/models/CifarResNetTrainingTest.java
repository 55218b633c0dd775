package io.qrbench.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.qrbench.nn.Layers;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CifarResNetTrainingTest {
  private static final int BATCH = 16;

  /** ResNet-8 memorises one small random batch: 30 SGD steps must cut the loss well down. */
  @Test
  void sgdLowersTheLossOfResNet8() {
    Random random = new Random(7);
    float[] images = new float[BATCH * 3 * 32 * 32];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    int[] labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = random.nextInt(10);
    }
    Optimizer sgd =
        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build();
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd);
    try (Model model = Model.newInstance("resnet-8")) {
      model.setBlock(Models.resnet(8, Layers.plain()));
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(BATCH, 3, 32, 32));
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 30; step++) {
          try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray x = batch.create(images, new Shape(BATCH, 3, 32, 32));
            NDArray y = batch.create(labels);
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDArray loss =
                  trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
              gc.backward(loss);
              last = loss.getFloat();
            }
            trainer.step();
          }
          first = step == 0 ? last : first;
        }
        assertTrue(
            Float.isFinite(last) && last < 0.5f * first, "loss went from " + first + " to " + last);
      }
    }
  }
}
