package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Sign and L2 steps read components within rounding noise of an image's largest as zero. */
class StepsTest {

  @Test
  void componentsWithinTheToleranceOfTheImagesLargestHaveNoSign() {
    try (NDManager m = NDManager.newBaseManager()) {
      float big = 3e-20f; // the scale of an image does not matter, only the ratio to its largest
      NDArray g =
          m.create(
              new float[] {
                big,
                0.9e-5f * big,
                -2e-5f * big,
                0,
                -big,
                1e-30f * big, // image 0
                0,
                0,
                0,
                0,
                0,
                0, // image 1: no gradient at all
                -4,
                5e-5f,
                -3e-5f,
                1e-5f,
                2,
                0.5f
              },
              new Shape(3, 1, 2, 3)); // image 2
      assertArrayEquals(
          new float[] {1, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, -1, 1, 0, 0, 1, 1},
          Steps.sign(g).toFloatArray(),
          0f);
    }
  }

  @Test
  void anL2StepIgnoresTheSameComponentsAndAZeroGradientGivesNoStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray g = m.create(new float[] {3, 1e-7f, -4, 0, 0, 0}, new Shape(2, 1, 1, 3));
      NDArray x = m.zeros(new Shape(2, 1, 1, 3));
      assertArrayEquals(
          new float[] {0.6f, 0, -0.8f, 0, 0, 0}, Steps.l2Step(x, g, 1f).toFloatArray(), 1e-7f);
    }
  }
}
