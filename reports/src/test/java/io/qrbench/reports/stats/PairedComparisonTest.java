package io.qrbench.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.Outcomes;
import java.util.Base64;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {

  @Test
  void exactMcNemarMatchesTheBinomialTest() {
    // 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * 79 / 4096
    assertEquals(0.03857421875, new PairedComparison(100, 50, 10, 2, 38).mcNemarP(), 1e-12);
    assertEquals(0.03857421875, new PairedComparison(100, 50, 2, 10, 38).mcNemarP(), 1e-12);
    assertEquals(8.430331945419312e-06, new PairedComparison(30, 0, 27, 3, 0).mcNemarP(), 1e-15);
    assertTrue(new PairedComparison(100, 50, 10, 2, 38).significant());
    assertFalse(new PairedComparison(100, 50, 10, 2, 38).significant(0.01));
  }

  @Test
  void noOrBalancedDiscordanceIsNeverSignificant() {
    assertEquals(1.0, new PairedComparison(10, 4, 0, 0, 6).mcNemarP());
    assertEquals(1.0, new PairedComparison(10, 0, 5, 5, 0).mcNemarP());
    assertEquals(1.0, new PairedComparison(11, 0, 5, 6, 0).mcNemarP());
    assertFalse(new PairedComparison(10, 0, 5, 5, 0).significant());
  }

  @Test
  void largeCountsStayFiniteAndAgreeWithChiSquare() {
    // chi-square with continuity correction: (|50500 - 50000| - 1)^2 / 100500 -> p = 0.1154767
    double p = new PairedComparison(200_000, 0, 50_000, 50_500, 99_500).mcNemarP();
    assertEquals(0.11547629006868594, p, 1e-9);
    assertEquals(0.11547673589401525, p, 1e-5);
    // 2 / 2^1000, far below what a naive product of binomial terms could hold
    assertEquals(
        1.8665272370064378e-301, new PairedComparison(1000, 0, 1000, 0, 0).mcNemarP(), 1e-310);
  }

  @Test
  void newcombeIntervalMatchesThePaper() {
    // Newcombe (1998), table II example: 36 / 12 / 2 / 0 -> 0.0569 to 0.3404
    PairedComparison c = new PairedComparison(50, 36, 2, 12, 0);
    assertEquals(20.0, c.difference(), 1e-9);
    assertEquals(5.692958400323875, c.differenceInterval().low(), 1e-9);
    assertEquals(34.04276029749406, c.differenceInterval().high(), 1e-9);
    // the same table with the models swapped mirrors the interval
    PairedComparison swapped = new PairedComparison(50, 36, 12, 2, 0);
    assertEquals(-34.04276029749406, swapped.differenceInterval().low(), 1e-9);
    assertEquals(-5.692958400323875, swapped.differenceInterval().high(), 1e-9);
    PairedComparison big = new PairedComparison(1000, 800, 30, 50, 120);
    assertEquals(0.2469043754411631, big.differenceInterval().low(), 1e-9);
    assertEquals(3.77598300933179, big.differenceInterval().high(), 1e-9);
    assertTrue(big.differenceInterval().contains(big.difference()));
  }

  @Test
  void intervalBehavesAtZeroAndHundredPercent() {
    for (PairedComparison c :
        new PairedComparison[] {
          new PairedComparison(10, 10, 0, 0, 0), new PairedComparison(10, 0, 0, 0, 10)
        }) {
      PairedComparison.Interval ci = c.differenceInterval();
      assertEquals(0.0, c.difference());
      assertEquals(-27.753279986288937, ci.low(), 1e-9);
      assertEquals(27.753279986288937, ci.high(), 1e-9);
    }
    PairedComparison.Interval all = new PairedComparison(20, 0, 0, 20, 0).differenceInterval();
    assertTrue(all.low() > 0 && all.high() == 100.0, all.toString());
    assertTrue(new PairedComparison(20, 0, 0, 20, 0).differenceInterval().contains(100));
  }

  @Test
  void countsComeFromTheBitSets() {
    BitSet a = BitSet.valueOf(new byte[] {0b0000_1111});
    BitSet b = BitSet.valueOf(new byte[] {0b0011_0011});
    PairedComparison c = PairedComparison.of(a, b, 10);
    assertEquals(new PairedComparison(10, 2, 2, 2, 4), c);
    assertEquals(40.0, c.accuracyA());
    assertEquals(40.0, c.accuracyB());
    assertEquals(4, c.discordant());
  }

  @Test
  void decodesBase64WithTrimmedTrailingBytes() {
    BitSet bits = new BitSet();
    bits.set(0);
    bits.set(9);
    String encoded =
        Base64.getEncoder().encodeToString(bits.toByteArray()); // 2 bytes for 1000 images
    assertEquals(bits, PairedComparison.decode(encoded, 1000));
    assertEquals(new BitSet(), PairedComparison.decode("", 1000));
    PairedComparison c = PairedComparison.ofOutcomes(encoded, 1000, "", 1000);
    assertEquals(new PairedComparison(1000, 0, 2, 0, 998), c);
    assertThrows(IllegalArgumentException.class, () -> PairedComparison.decode(encoded, 5));
    assertThrows(IllegalArgumentException.class, () -> PairedComparison.decode("not base64!", 5));
  }

  @Test
  void mismatchedImageCountsNameBoth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PairedComparison.ofOutcomes("", 1000, "", 500));
    assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("500"), e.getMessage());
    CaseResult a = caseOf("FP/none", 1000, "");
    CaseResult b = caseOf("TWN/none", 999, "");
    e = assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(a, b));
    assertTrue(
        e.getMessage().contains("FP/none")
            && e.getMessage().contains("TWN/none")
            && e.getMessage().contains("1000")
            && e.getMessage().contains("999"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PairedComparison.of(a, caseOf("old", 1000, null)));
    assertTrue(e.getMessage().contains("no per-image outcomes"), e.getMessage());
  }

  @Test
  void rejectsInconsistentTables() {
    assertThrows(IllegalArgumentException.class, () -> new PairedComparison(10, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new PairedComparison(0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new PairedComparison(1, -1, 1, 1, 0));
  }

  private static CaseResult caseOf(String id, int images, String outcomes) {
    Metrics m =
        new Metrics(
            images,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            outcomes == null ? null : Outcomes.fromBase64(outcomes),
            Map.of());
    return new CaseResult(
        id, id.split("/")[0], "none", "none", Level.NONE, Map.of(), CaseStatus.OK, null, m);
  }
}
