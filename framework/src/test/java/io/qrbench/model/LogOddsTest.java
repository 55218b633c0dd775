package io.qrbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The loss terms of confident and unsure images, against closed forms. */
class LogOddsTest {

  @Test
  void equalLogitsGiveTheUniformAnswer() {
    LogOdds t = LogOdds.of(new float[] {0, 0, 0}, new int[] {0}, 3);
    assertEquals(Math.log(2), t.logOdds()[0], 1e-15, "(1 - 1/3) / (1/3)");
    assertEquals(Math.log(3), t.loss()[0], 1e-15, "-log(1/3)");
    assertArrayEquals(new float[] {-1, 0.5f, 0.5f}, t.logitDirection(), 0f);
  }

  @Test
  void aConfidentImageKeepsItsLossAndDirection() {
    // margin 50: float32's softmax is exactly one-hot and its cross-entropy exactly 0
    LogOdds t = LogOdds.of(new float[] {2, 52, -3}, new int[] {1}, 3);
    double m = Math.log(Math.exp(2 - 52.0) + Math.exp(-3 - 52.0));
    assertEquals(m, t.logOdds()[0], 1e-12);
    assertEquals(
        Math.exp(m), t.loss()[0], 1e-12 * Math.exp(m), "log(1 + e^m) = e^m to first order");
    assertTrue(t.loss()[0] > 0);
    float q = (float) (1 / (1 + Math.exp(-5)));
    assertArrayEquals(new float[] {q, -1, 1 - q}, t.logitDirection(), 1e-7f);

    // margin 1000: even double precision's softmax is one-hot; the log-odds and direction are not
    LogOdds far = LogOdds.of(new float[] {0, 1000, -5}, new int[] {1}, 3);
    assertEquals(-1000 + Math.log1p(Math.exp(-5)), far.logOdds()[0], 1e-9);
    assertArrayEquals(new float[] {q, -1, 1 - q}, far.logitDirection(), 1e-7f);
  }

  @Test
  void aWrongImageHasTheCrossEntropyOfItsLabel() {
    float[] z = {3, -1, 0.5f, 7};
    LogOdds t = LogOdds.of(z, new int[] {1}, 4);
    double lse = Math.log(Math.exp(3) + Math.exp(-1) + Math.exp(0.5) + Math.exp(7));
    assertEquals(lse + 1, t.loss()[0], 1e-12, "-log p_y");
    assertEquals(-1, t.logitDirection()[1], 0f);
  }

  @Test
  void aLabelOutsideTheClassesIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> LogOdds.of(new float[] {0, 0}, new int[] {2}, 2));
  }
}
