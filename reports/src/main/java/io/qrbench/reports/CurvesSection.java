package io.qrbench.reports;

import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.CaseResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code curves} section: top-1 against severity, and against epsilon or any other swept
 * number.
 */
final class CurvesSection {
  private CurvesSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "curves", "Accuracy curves");
    List<Sweep> sweeps = r.grid().sweeps();
    if (sweeps.isEmpty()) {
      h.el("p", "No perturbation sweeps a numeric level, so there are no curves.", "class", "empty")
          .nl();
      h.close("section").nl();
      return;
    }
    legend(h, r);
    List<Sweep> severity = sweeps.stream().filter(Sweep::bySeverity).toList();
    List<Sweep> other = sweeps.stream().filter(s -> !s.bySeverity()).toList();
    group(h, r, "curves-severity", "Accuracy vs severity", severity);
    group(h, r, "curves-epsilon", "Accuracy vs \u03b5 and other swept parameters", other);
    h.close("section").nl();
  }

  /** One legend for all charts; hovering an entry highlights that model's lines (see report.js). */
  private static void legend(Html h, ReportContext r) {
    h.open("ul", "class", "legend", "aria-label", "models").nl();
    for (String m : r.grid().models()) {
      h.open("li", "class", "legend-item m" + r.grid().colour(m), "data-model", m, "tabindex", "0");
      HtmlPage.swatch(h, r, m);
      h.text(m).close("li").nl();
    }
    h.close("ul").nl();
  }

  private static void group(Html h, ReportContext r, String id, String title, List<Sweep> sweeps) {
    if (sweeps.isEmpty()) {
      return;
    }
    h.el("h3", title).nl();
    h.open("div", "class", "charts", "id", id).nl();
    for (Sweep s : sweeps) {
      h.open("figure", "class", "chart-box");
      h.el("figcaption", s.perturbation());
      boolean over255 = over255(s);
      LineChart.render(
          h,
          s.perturbation(),
          s.perturbation() + ": top-1 accuracy by " + s.key() + ", shaded: 95% Wilson interval",
          over255 ? s.key() + " (in 1/255)" : s.key(),
          series(r, s),
          over255);
      h.close("figure").nl();
    }
    h.close("div").nl();
  }

  /** An epsilon sweep whose every level is 0 or k/255, which its axis then counts in 1/255. */
  static boolean over255(Sweep s) {
    return Fmt.isEpsilon(s.key())
        && s.points().stream().allMatch(p -> p.x() == 0 || Fmt.over255(p.x()) != null);
  }

  private static List<LineChart.Series> series(ReportContext r, Sweep s) {
    List<LineChart.Series> series = new ArrayList<>();
    for (String m : r.grid().models()) {
      List<LineChart.Point> points = new ArrayList<>();
      boolean any = false;
      for (Sweep.Point p : s.points()) {
        CaseResult c = r.grid().cell(p.row(), m);
        any |= c != null;
        Double y = CaseGrid.ok(c) ? c.metrics().top1() : null;
        PairedComparison.Interval ci =
            y == null || c.metrics().images() <= 0
                ? null
                : PairedComparison.accuracyInterval(
                    Math.max(0, Math.min(c.metrics().images(), c.metrics().correct1())),
                    c.metrics().images());
        String label =
            m
                + ", "
                + p.row().levelLabel()
                + ": "
                + (y == null ? (c == null ? "not run" : "failed") : Fmt.pct(y) + "%")
                + (ci == null
                    ? ""
                    : " (95% CI " + Fmt.pct(ci.low()) + "\u2013" + Fmt.pct(ci.high()) + ")");
        points.add(
            new LineChart.Point(
                p.x(), y, label, ci == null ? null : ci.low(), ci == null ? null : ci.high()));
      }
      if (any) {
        series.add(new LineChart.Series(m, r.grid().colour(m), points));
      }
    }
    return series;
  }
}
