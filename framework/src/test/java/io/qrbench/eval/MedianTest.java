package io.qrbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MedianTest {
  @Test
  void theMedianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertEquals(2.0, CaseEvaluator.median(new float[] {5, 1, 2}), 0.0);
    assertEquals(2.5, CaseEvaluator.median(new float[] {4, 1, 3, 2}), 0.0);
    assertEquals(0.0, CaseEvaluator.median(new float[] {0, 0, 9}), 0.0);
  }
}
