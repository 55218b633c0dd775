package io.qrbench.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TypedResultsTest {
  private static final Metrics M =
      new Metrics(
          40, 97.5, 100, 39, 40, 0.2, 51.0, 3.3, 0.25, 0.04, 1000, null, Map.of("fooled", 0.75));

  @Test
  void everyStandardMetricIsAFieldOfMetricsUnderItsJsonName() {
    Set<String> components =
        Arrays.stream(Metrics.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());
    for (Metric m : Metric.standard()) {
      assertTrue(components.contains(m.jsonName()), m + " -> " + m.jsonName());
    }
    assertFalse(components.contains(Metric.FOOLED.jsonName()), "fooled is an extra");
    assertEquals(
        Metric.values().length, Arrays.stream(Metric.values()).map(Metric::key).distinct().count());
  }

  @Test
  void everySpeedMetricIsAFieldOfSpeedResultAndEveryFieldIsOne() {
    Set<String> components =
        Arrays.stream(SpeedResult.class.getRecordComponents())
            .map(RecordComponent::getName)
            .filter(n -> !n.equals("model"))
            .collect(Collectors.toSet());
    assertEquals(
        components,
        Arrays.stream(SpeedMetric.values()).map(SpeedMetric::jsonName).collect(Collectors.toSet()));
    assertEquals("images_per_second_std", SpeedMetric.IMAGES_PER_SECOND_STD.key());
    assertEquals("p50_ms", SpeedMetric.P50_MS.key());
    SpeedResult s =
        new SpeedResult("A", 4, 2, 1, 10, 1.5, 0.1, 1.4, 1.7, 2.0, 666.7, 12.5, 123_456_789L, 0.8);
    assertEquals(123_456_789.0, SpeedMetric.PEAK_RSS_BYTES.value(s));
    assertEquals(1.7, SpeedMetric.P90_MS.value(s));
  }

  @Test
  void aMetricHasOneIdAndThreeSpellingsDerivedFromIt() {
    assertEquals("mean_abs_255", Metric.MEAN_ABS_255.key());
    assertEquals("meanAbs255", Metric.MEAN_ABS_255.jsonName());
    assertEquals("imagesPerSecond", Metric.IMAGES_PER_SECOND.jsonName());
    for (String written : new String[] {"mean-abs-255", "meanAbs255", "MEAN_ABS_255"}) {
      assertEquals(Optional.of(Metric.MEAN_ABS_255), Metric.named(written), written);
    }
    assertEquals(Optional.empty(), Metric.named("top-2"));
  }

  @Test
  void valuesComeFromTheirField() {
    assertEquals(97.5, Metric.TOP1.value(M).orElseThrow());
    assertEquals(39.0, Metric.CORRECT1.value(M).orElseThrow());
    assertEquals(0.25, Metric.MEAN_LINF.value(M).orElseThrow());
    assertEquals(1000.0, Metric.IMAGES_PER_SECOND.value(M).orElseThrow());
    assertEquals(0.75, Metric.FOOLED.value(M).orElseThrow());
    Metrics without = new Metrics(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, Map.of());
    assertEquals(Optional.empty(), Metric.FOOLED.value(without));
  }

  @Test
  void aLevelMatchesWrittenValuesNumbersAsNumbers() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("epsilon", 0.03);
    values.put("norm", "linf");
    Level l = Level.of(values);
    assertEquals("epsilon=0.03,norm=linf", l.label());
    assertTrue(l.matches(Map.of("epsilon", "3e-2", "norm", "linf")));
    assertFalse(l.matches(Map.of("epsilon", "0.031", "norm", "linf")));
    assertFalse(l.matches(Map.of("epsilon", "0.03")), "every swept key must be named");
    assertFalse(l.matches(Map.of("epsilon", "0.03", "norm", "l2")));
    assertTrue(Level.of("severity", 3).matches(Map.of("severity", "3.0")));
    assertEquals(Optional.empty(), l.number("norm"));
    assertTrue(Level.NONE.isEmpty());
  }

  @Test
  void outcomesKeepTheirBitsAndTheirBase64() {
    BitSet bits = new BitSet();
    bits.set(0);
    bits.set(9);
    Outcomes o = Outcomes.of(bits);
    bits.set(3); // a copy was kept
    assertEquals(2, o.count());
    assertTrue(o.correct(9));
    assertFalse(o.correct(3));
    assertEquals(10, o.span());
    assertEquals("AQI=", o.base64(), "image 0 in bit 0 of byte 0, image 9 in bit 1 of byte 1");
    assertEquals(o, Outcomes.fromBase64("AQI="));
    assertEquals(0, Outcomes.fromBase64("").count());
    assertThrows(IllegalArgumentException.class, () -> Outcomes.fromBase64("not base64!"));
  }

  @Test
  void statusesAreWrittenInLowerCase() {
    assertEquals("ok", CaseStatus.OK.id());
    assertEquals(CaseStatus.FAILED, CaseStatus.of("failed"));
    assertEquals(RunStatus.COMPLETE, RunStatus.of("complete"));
    assertEquals("running, complete, failed", RunStatus.ids());
    assertThrows(IllegalArgumentException.class, () -> RunStatus.of("done"));
    assertEquals(
        CheckStatus.UNEVALUATED, new CheckResult("x", false, null, null, "case failed").status());
    assertEquals(
        CheckStatus.FAILED, new CheckResult("x", false, 1.0, 2.0, "1 > 2 does not hold").status());
  }
}
