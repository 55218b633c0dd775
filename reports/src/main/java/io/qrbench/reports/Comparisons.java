package io.qrbench.reports;

import io.qrbench.reports.stats.Holm;
import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.CaseResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Paired tests of every model pair (A earlier in the suite, B later) on every case both finished.
 */
final class Comparisons {
  private Comparisons() {}

  /**
   * One case compared: {@code stats} when both cases have per-image outcomes, else {@code problem}
   * says why not. {@code holmP} is McNemar's p adjusted with Holm's method over the pair's tested
   * cases (NaN when not tested).
   */
  record Entry(
      CaseGrid.Row row,
      CaseResult a,
      CaseResult b,
      PairedComparison stats,
      String problem,
      double holmP) {
    /** Significant at 0.05 on its own. */
    boolean significant() {
      return stats != null && stats.significant();
    }

    /** Significant at 0.05 after Holm's correction for testing all of the pair's cases. */
    boolean significantAfterHolm() {
      return stats != null && holmP < PairedComparison.ALPHA;
    }
  }

  /** One pair of models. */
  record Pair(String a, String b, List<Entry> entries) {
    Pair {
      entries = List.copyOf(entries);
    }

    /** Entries with statistics. */
    List<Entry> tested() {
      return entries.stream().filter(e -> e.stats() != null).toList();
    }

    long significantCount() {
      return entries.stream().filter(Entry::significant).count();
    }

    long significantAfterHolmCount() {
      return entries.stream().filter(Entry::significantAfterHolm).count();
    }

    /** Significant entries where B is more accurate than A. */
    long bHigher() {
      return entries.stream().filter(e -> e.significant() && e.stats().difference() > 0).count();
    }

    long bLower() {
      return entries.stream().filter(e -> e.significant() && e.stats().difference() < 0).count();
    }

    /** The entry of {@code row}, or null. */
    Entry entry(CaseGrid.Row row) {
      return entries.stream().filter(e -> e.row().equals(row)).findFirst().orElse(null);
    }

    /** One sentence that answers "is B's accuracy different from A's?". */
    String answer() {
      List<Entry> tested = tested();
      if (tested.isEmpty()
          && entries.stream().anyMatch(e -> !"no per-image outcomes".equals(e.problem()))) {
        return "No case could be compared image by image: " + entries.get(0).problem() + ".";
      }
      if (tested.isEmpty()) {
        return "These results have no per-image outcomes (an older qrbench wrote them?), so "
            + b
            + " and "
            + a
            + " cannot be compared image by image.";
      }
      long sig = significantCount();
      String of = " of the " + tested.size() + (tested.size() == 1 ? " case" : " cases");
      if (sig == 0) {
        return "No: in none"
            + of
            + " does "
            + b
            + "\u2019s top-1 accuracy differ significantly from "
            + a
            + "\u2019s at the 0.05 level.";
      }
      long holm = significantAfterHolmCount();
      return "Yes in "
          + sig
          + of
          + " (significant at 0.05, each case on its own; "
          + holm
          + " after Holm\u2019s correction for testing "
          + tested.size()
          + (tested.size() == 1 ? " case" : " cases")
          + "): "
          + b
          + " is more accurate in "
          + bHigher()
          + " and less accurate in "
          + bLower()
          + ".";
    }
  }

  static List<Pair> of(CaseGrid grid) {
    List<Pair> pairs = new ArrayList<>();
    List<String> models = grid.models();
    for (int i = 0; i < models.size(); i++) {
      for (int j = i + 1; j < models.size(); j++) {
        pairs.add(pair(grid, models.get(i), models.get(j)));
      }
    }
    return pairs;
  }

  /** The pairs of every later model with the first, the study's baseline. */
  static List<Pair> againstFirst(List<Pair> pairs, CaseGrid grid) {
    if (grid.models().isEmpty()) {
      return List.of();
    }
    String first = grid.models().get(0);
    return pairs.stream().filter(p -> p.a().equals(first)).toList();
  }

  /** Significant entries of {@code pairs}, largest absolute difference first. */
  static List<Entry> largestSignificant(List<Pair> pairs, int limit) {
    return pairs.stream()
        .flatMap(p -> p.entries().stream())
        .filter(Entry::significant)
        .sorted(Comparator.comparingDouble((Entry e) -> -Math.abs(e.stats().difference())))
        .limit(limit)
        .toList();
  }

  private static Pair pair(CaseGrid grid, String a, String b) {
    List<Entry> entries = new ArrayList<>();
    for (CaseGrid.Row row : grid.rows()) {
      if (CaseGrid.isMinimal(row)) {
        continue; // its accuracy is ~0 by construction: comparing it tests nothing
      }
      CaseResult ca = grid.cell(row, a);
      CaseResult cb = grid.cell(row, b);
      if (!CaseGrid.ok(ca) || !CaseGrid.ok(cb)) {
        continue;
      }
      if (ca.metrics().outcomes() == null || cb.metrics().outcomes() == null) {
        entries.add(new Entry(row, ca, cb, null, "no per-image outcomes", Double.NaN));
        continue;
      }
      try {
        entries.add(new Entry(row, ca, cb, PairedComparison.of(ca, cb), null, Double.NaN));
      } catch (IllegalArgumentException e) {
        entries.add(new Entry(row, ca, cb, null, e.getMessage(), Double.NaN));
      }
    }
    double[] holm =
        Holm.adjust(
            entries.stream()
                .mapToDouble(e -> e.stats() == null ? Double.NaN : e.stats().mcNemarP())
                .toArray());
    List<Entry> adjusted = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      adjusted.add(new Entry(e.row(), e.a(), e.b(), e.stats(), e.problem(), holm[i]));
    }
    return new Pair(a, b, adjusted);
  }
}
