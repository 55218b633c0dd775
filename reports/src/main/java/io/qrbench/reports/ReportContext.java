package io.qrbench.reports;

import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * What every section of a report reads: the results, their grid, the paired comparisons and the
 * folder the report is written to (null when unknown), which paths on the page are shown relative
 * to.
 */
record ReportContext(RunResult result, CaseGrid grid, List<Comparisons.Pair> pairs, Path folder) {
  ReportContext {
    pairs = List.copyOf(pairs);
  }

  static ReportContext of(RunResult result) {
    return of(result, null);
  }

  static ReportContext of(RunResult result, Path folder) {
    CaseGrid grid = CaseGrid.of(result);
    return new ReportContext(result, grid, Comparisons.of(grid), folder);
  }

  /**
   * A path for the page: an absolute one relative to the report's folder ({@code
   * ../models/twn.params}), so that the page names the same files on another machine or in a CI
   * artifact and does not show the user's home; forward slashes everywhere. Text after a {@code ;}
   * (a weights source's note) is kept as it is; relative paths, other text and null pass through.
   */
  String relative(String path) {
    if (path == null || folder == null) {
      return path;
    }
    int note = path.indexOf(';');
    String head = note < 0 ? path : path.substring(0, note);
    String tail = note < 0 ? "" : path.substring(note);
    Path p;
    try {
      p = Path.of(head.strip());
    } catch (InvalidPathException e) {
      return path;
    }
    if (!p.isAbsolute()) {
      return path;
    }
    Path base = folder.toAbsolutePath().normalize();
    Path normal = p.normalize();
    if (base.getRoot() == null || !base.getRoot().equals(normal.getRoot())) {
      return path; // another drive: no relative path exists
    }
    String rel = base.relativize(normal).toString().replace('\\', '/');
    return (rel.isEmpty() ? "." : rel) + tail;
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
