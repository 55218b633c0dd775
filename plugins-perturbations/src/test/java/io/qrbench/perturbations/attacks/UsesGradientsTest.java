package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.Perturbation;
import io.qrbench.testkit.FakePerturbationContext;
import io.qrbench.testkit.GradientCountingModel;
import io.qrbench.testkit.LinearModelUnderTest;
import io.qrbench.testkit.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attacks outside the contract tests say truly whether they take gradients: the suite loader
 * refuses the white-box ones on an ONNX model and lets the black-box ones (Square, AutoAttack with
 * Square alone) run on it.
 */
class UsesGradientsTest {
  private static final Shape IMAGE = new Shape(3, 8, 8);

  private static <C extends Record> void check(Perturbation<C> p, C config, boolean white) {
    assertEquals(white, p.usesGradients(config), p.id() + " " + config);
    try (NDManager m = NDManager.newBaseManager()) {
      GradientCountingModel model =
          new GradientCountingModel(new LinearModelUnderTest(IMAGE, 10, 3));
      int[] ids = TestImages.range(0, 4);
      NDArray x = TestImages.batch(m, IMAGE, ids);
      // labelled as the model predicts them: every image is correct, so an attack has work to do
      // (attacks skip images the model already gets wrong)
      NDArray y = model.logits(x).argMax(1);
      p.apply(config, new FakePerturbationContext(x, y, 0, 11, model));
      assertEquals(white, model.gradients() > 0, p.id() + " asked " + model.gradients() + " times");
    }
  }

  @Test
  void squareIsBlackBox() {
    check(new Square(), new Square.Config("linf", 8 / 255.0, 50, null), false);
  }

  @Test
  void deepFoolAndApgdAreWhiteBox() {
    check(new DeepFool(), new DeepFool.Config(null, null, 5, null), true);
    check(new Apgd(), new Apgd.Config("linf", 8 / 255.0, "ce", null, 3, 1, null, null), true);
  }

  @Test
  void autoAttackIsWhiteBoxUnlessSquareRunsAlone() {
    check(new AutoAttack(), new AutoAttack.Config(List.of("square"), null, null, null), false);
    check(new AutoAttack(), new AutoAttack.Config(List.of("apgd-ce"), null, null, null), true);
  }
}
