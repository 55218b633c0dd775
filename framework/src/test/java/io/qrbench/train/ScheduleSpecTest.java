package io.qrbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.suite.ScheduleSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {
  private static ScheduleSpec of(String type, List<Integer> milestones, Double warmup) {
    return new ScheduleSpec(type, milestones, null, warmup, null, null, null, null);
  }

  @Test
  void stepMultipliesByGammaAtEachMilestone() {
    ScheduleSpec s = of("step", List.of(100, 150), null);
    // 10 steps per epoch, 200 epochs: the reference ResNet schedule
    assertEquals(0.1, s.rate(0.1, 0, 10, 200), 1e-12);
    assertEquals(0.1, s.rate(0.1, 999, 10, 200), 1e-12);
    assertEquals(0.01, s.rate(0.1, 1000, 10, 200), 1e-12);
    assertEquals(0.001, s.rate(0.1, 1500, 10, 200), 1e-12);
  }

  @Test
  void cosineGoesFromBaseToFinalThroughTheMidpoint() {
    ScheduleSpec s = ScheduleSpec.cosine();
    assertEquals(0.1, s.rate(0.1, 0, 100, 10), 1e-12);
    assertEquals(0.05, s.rate(0.1, 500, 100, 10), 1e-12);
    assertEquals(0.0, s.rate(0.1, 1000, 100, 10), 1e-12);
    for (int t = 1; t < 1000; t++) {
      assertTrue(s.rate(0.1, t, 100, 10) <= s.rate(0.1, t - 1, 100, 10), "monotone at " + t);
    }
  }

  @Test
  void warmupRampsLinearlyThenFollowsTheSchedule() {
    ScheduleSpec s = of("constant", null, 2.0);
    assertEquals(0.1 / 20, s.rate(0.1, 0, 10, 5), 1e-12);
    assertEquals(0.1 * 10 / 20, s.rate(0.1, 9, 10, 5), 1e-12);
    assertEquals(0.1, s.rate(0.1, 20, 10, 5), 1e-12);
    ScheduleSpec c = of("cosine", null, 1.0);
    assertEquals(0.1, c.rate(0.1, 10, 10, 3), 1e-12, "cosine starts after the warm-up");
    assertEquals(0.0, c.rate(0.1, 30, 10, 3), 1e-12);
  }

  @Test
  void oneCycleRisesToThePeakThenAnnealsFarBelowTheStart() {
    ScheduleSpec s = of("one-cycle", null, null);
    double start = s.rate(0.4, 0, 100, 10);
    assertEquals(0.4 / 25, start, 1e-12);
    assertEquals(0.4, s.rate(0.4, 300, 100, 10), 1e-12, "peak at 30% of the steps");
    assertEquals(0.4 / 1e4, s.rate(0.4, 1000, 100, 10), 1e-12);
    assertTrue(s.rate(0.4, 150, 100, 10) > start && s.rate(0.4, 150, 100, 10) < 0.4);
  }

  @Test
  void badSchedulesAreRejectedWithTheKnownTypes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> of("cosin", null, null));
    assertTrue(e.getMessage().contains("constant, step, cosine, one-cycle"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> of("step", List.of(150, 100), null));
    assertThrows(IllegalArgumentException.class, () -> of("constant", null, -1.0));
  }
}
