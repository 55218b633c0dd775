package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The {@code scores} section: one number per model for the noise sweeps (mean corruption error) and
 * one per attack sweep (area under the accuracy curve), for readers who compare models at a glance
 * before they read the curves.
 */
final class ScoresSection {
  private ScoresSection() {}

  static void render(Html h, ReportContext r) {
    List<Sweep> families = r.grid().sweeps().stream().filter(Sweep::bySeverity).toList();
    List<Sweep> attacks = r.grid().sweeps().stream().filter(s -> !s.bySeverity()).toList();
    HtmlPage.section(h, "scores", "Summary scores");
    if (families.isEmpty() && attacks.isEmpty()) {
      h.el("p", "No perturbation sweeps a numeric level, so there are no scores.", "class", "empty")
          .nl();
      h.close("section").nl();
      return;
    }
    h.el(
            "p",
            (families.isEmpty()
                    ? ""
                    : "mCE is the mean corruption error (Hendrycks & Dietterich 2019): for each noise "
                        + "family, the model\u2019s top-1 errors summed over severities divided by "
                        + r.baseline()
                        + "\u2019s, averaged over families, in percent; below 100 is more robust than "
                        + r.baseline()
                        + ". ")
                + (attacks.isEmpty()
                    ? ""
                    : "AUC is the area under the top-1-vs-level curve of each attack (trapezoids, "
                        + "the level rescaled to [0, 1] over the swept range), in percent: the "
                        + "mean accuracy over the sweep, higher is more robust."),
            "class",
            "note")
        .nl();
    h.open("div", "class", "scroll").open("table", "id", "scores-table", "class", "data").nl();
    h.open("thead").open("tr");
    h.el("th", "Model", "scope", "col");
    if (!families.isEmpty()) {
      h.el(
          "th",
          "mCE",
          "class",
          "num",
          "scope",
          "col",
          "title",
          "mean corruption error over " + families.size() + " noise families, % of the baseline's");
    }
    for (Sweep s : attacks) {
      h.el(
          "th",
          "AUC " + s.perturbation(),
          "class",
          "num",
          "scope",
          "col",
          "title",
          "area under top-1 vs " + s.key());
    }
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (String m : r.grid().models()) {
      h.open("tr", "class", "score-row", "data-model", m);
      h.open("th", "scope", "row");
      HtmlPage.swatch(h, r, m);
      h.text(m).close("th");
      if (!families.isEmpty()) {
        cell(h, meanCorruptionError(r.grid(), families, m, r.baseline()), "mce", null);
      }
      for (Sweep s : attacks) {
        cell(h, area(r.grid(), s, m), "auc", s.perturbation());
      }
      h.close("tr").nl();
    }
    h.close("tbody").close("table").close("div").nl();
    h.close("section").nl();
  }

  private static void cell(Html h, OptionalDouble v, String metric, String sweep) {
    h.el(
        "td",
        v.isPresent() ? Fmt.pct(v.getAsDouble()) : Fmt.DASH,
        "class",
        "num",
        "data-metric",
        metric,
        "data-sweep",
        sweep,
        "data-value",
        v.isPresent() ? Fmt.exact(v.getAsDouble()) : null,
        "title",
        v.isPresent() ? null : "a level of the sweep did not finish");
  }

  /**
   * mCE of {@code model} against {@code baseline}, in percent (Hendrycks &amp; Dietterich 2019, eq.
   * 1): the mean over families of CE = sum over severities of the model's top-1 error / the same
   * sum for the baseline. A family counts only when every severity finished for both models and the
   * baseline erred somewhere; empty when no family counts.
   */
  static OptionalDouble meanCorruptionError(
      CaseGrid grid, List<Sweep> families, String model, String baseline) {
    List<Double> ce = new ArrayList<>();
    for (Sweep f : families) {
      OptionalDouble e = errorSum(grid, f, model);
      OptionalDouble b = errorSum(grid, f, baseline);
      if (e.isPresent() && b.isPresent() && b.getAsDouble() > 0) {
        ce.add(e.getAsDouble() / b.getAsDouble());
      }
    }
    return ce.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(100 * ce.stream().mapToDouble(Double::doubleValue).average().orElse(0));
  }

  private static OptionalDouble errorSum(CaseGrid grid, Sweep f, String model) {
    double sum = 0;
    for (Sweep.Point p : f.points()) {
      CaseResult c = grid.cell(p.row(), model);
      if (!CaseGrid.ok(c)) {
        return OptionalDouble.empty();
      }
      sum += 100 - c.metrics().top1();
    }
    return OptionalDouble.of(sum);
  }

  /**
   * The area under {@code model}'s top-1 curve over {@code sweep}, x rescaled to [0, 1] over the
   * swept range, by the trapezoid rule: so in percent, the curve's mean height. Empty when a level
   * did not finish.
   */
  static OptionalDouble area(CaseGrid grid, Sweep sweep, String model) {
    List<Sweep.Point> points = sweep.points();
    double x0 = points.get(0).x();
    double span = points.get(points.size() - 1).x() - x0;
    double area = 0;
    for (int i = 0; i < points.size(); i++) {
      CaseResult c = grid.cell(points.get(i).row(), model);
      if (!CaseGrid.ok(c)) {
        return OptionalDouble.empty();
      }
      if (i > 0) {
        CaseResult prev = grid.cell(points.get(i - 1).row(), model);
        double w = (points.get(i).x() - points.get(i - 1).x()) / span;
        area += w * (prev.metrics().top1() + c.metrics().top1()) / 2;
      }
    }
    return OptionalDouble.of(area);
  }
}
