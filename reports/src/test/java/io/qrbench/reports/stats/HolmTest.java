package io.qrbench.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HolmTest {
  @Test
  void adjustmentIsMonotoneBoundedAndSkipsUntestedCases() {
    double[] p = Holm.adjust(new double[] {0.01, Double.NaN, 0.04, 0.03});
    assertEquals(0.03, p[0], 1e-12, "smallest of 3 tested: x3");
    assertTrue(Double.isNaN(p[1]));
    assertEquals(0.06, p[3], 1e-12, "second smallest: x2");
    assertEquals(0.06, p[2], 1e-12, "never below a smaller p's adjusted value");
    assertEquals(1.0, Holm.adjust(new double[] {0.6, 0.7})[0], 0, "capped at 1");
    assertEquals(0.04, Holm.adjust(new double[] {0.04})[0], 0, "one test: unchanged");
  }
}
