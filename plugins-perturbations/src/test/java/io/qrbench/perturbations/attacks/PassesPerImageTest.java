package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.testkit.FakePerturbationContext;
import io.qrbench.testkit.LinearModelUnderTest;
import io.qrbench.testkit.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each attack's {@link Perturbation#passesPerImage} (used only to balance shards) bounds the work
 * it does: the forward passes it asks of the model, a gradient counting as three (forward and a
 * backward of two), plus the evaluation's own forward pass, per image.
 */
class PassesPerImageTest {
  private static final Shape IMAGE = new Shape(3, 8, 8);
  private static final int N = 4;

  /** Counts the images passed forward and backward. */
  private static final class Counting implements ModelUnderTest {
    private final ModelUnderTest model;
    long work; // in image forward passes

    Counting(ModelUnderTest model) {
      this.model = model;
    }

    @Override
    public String name() {
      return model.name();
    }

    @Override
    public int classes() {
      return model.classes();
    }

    @Override
    public NDArray logits(NDArray images) {
      work += images.getShape().get(0);
      return model.logits(images);
    }

    @Override
    public LossGradient lossGradient(NDArray images, NDArray labels) {
      work += 3 * images.getShape().get(0);
      return model.lossGradient(images, labels);
    }

    @Override
    public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
      work += 3 * images.getShape().get(0);
      return model.objectiveGradient(images, objective);
    }
  }

  private static <C extends Record> double bounded(Perturbation<C> p, C config) {
    try (NDManager m = NDManager.newBaseManager()) {
      Counting model = new Counting(new LinearModelUnderTest(IMAGE, 10, 3));
      NDArray x = TestImages.batch(m, IMAGE, TestImages.range(0, N));
      NDArray y = model.logits(x).argMax(1); // all right: every attack has work to do
      model.work = 0;
      p.apply(config, new FakePerturbationContext(x, y, 0, 11, model));
      double used = 1 + (double) model.work / N;
      double estimate = p.passesPerImage(config);
      assertTrue(
          used <= estimate, p.id() + " did " + used + " passes per image, estimated " + estimate);
      return estimate;
    }
  }

  @Test
  void gradientAttacksEstimateAnUpperBoundThatGrowsWithTheirSteps() {
    assertEquals(4, bounded(new Fgsm(), new Fgsm.Config(8 / 255.0)));
    double few = bounded(new Pgd(), new Pgd.Config("linf", 8 / 255.0, null, 3, true, 1));
    double more = bounded(new Pgd(), new Pgd.Config("linf", 8 / 255.0, null, 6, true, 2));
    assertTrue(more > 3 * few, few + " vs " + more);
    bounded(new Bim(), new Bim.Config(8 / 255.0, 2 / 255.0, 5));
    double ce =
        bounded(new Apgd(), new Apgd.Config("linf", 8 / 255.0, "ce", null, 4, 1, null, null));
    double t =
        bounded(
            new Apgd(), new Apgd.Config("linf", 8 / 255.0, "dlr-targeted", 3, 4, 1, null, null));
    assertEquals(3 * (ce - 1), t - 1, 1e-9, "targeted: one run per target");
    bounded(new MinimalAttack(), new MinimalAttack.Config(1 / 255.0, 8, 3));
    bounded(new DeepFool(), new DeepFool.Config(null, null, 5, null));
  }

  @Test
  void blackBoxAndCombinedAttacksToo() {
    assertEquals(51, bounded(new Square(), new Square.Config("linf", 8 / 255.0, 50, null)));
    double square =
        new AutoAttack().passesPerImage(new AutoAttack.Config(List.of("square"), null, null, null));
    double all = new AutoAttack().passesPerImage(new AutoAttack.Config(null, null, null, null));
    assertTrue(all > square, "every component adds its bound");
  }
}
