package io.qrbench.reports;

import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import java.util.List;

/** What every section of a report reads: the results, their grid and the paired comparisons. */
record ReportContext(RunResult result, CaseGrid grid, List<Comparisons.Pair> pairs) {
  ReportContext {
    pairs = List.copyOf(pairs);
  }

  static ReportContext of(RunResult result) {
    CaseGrid grid = CaseGrid.of(result);
    return new ReportContext(result, grid, Comparisons.of(grid));
  }

  /** The suite's first model, the baseline the others are compared with, or null. */
  String baseline() {
    return grid.models().isEmpty() ? null : grid.models().get(0);
  }

  /** The model's result entry, or null when only its cases are known. */
  ModelResult model(String name) {
    return result.models().stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  /** The pair (a, b) in suite order, or null. */
  Comparisons.Pair pair(String a, String b) {
    return pairs.stream().filter(p -> p.a().equals(a) && p.b().equals(b)).findFirst().orElse(null);
  }
}
