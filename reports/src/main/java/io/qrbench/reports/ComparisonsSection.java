package io.qrbench.reports;

import io.qrbench.reports.stats.PairedComparison;

/**
 * The {@code comparisons} section: for each pair of models and each case, the paired accuracy
 * difference with its interval and McNemar's test, answering "is B's accuracy different from A's?".
 */
final class ComparisonsSection {
  private static final int COLUMNS = 15;

  private ComparisonsSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "comparisons", "Paired comparisons");
    if (r.pairs().isEmpty()) {
      h.el("p", "One model only: nothing to compare.", "class", "empty").nl();
      h.close("section").nl();
      return;
    }
    h.el(
            "p",
            "Both models see the same images, so each case is compared image by image: \u0394 is B\u2019s top-1 "
                + "minus A\u2019s in points, with a 95% confidence interval for paired proportions (Newcombe\u2019s hybrid "
                + "score method); McNemar\u2019s exact test looks only at the images exactly one model got right. \u201cat "
                + "0.05\u201d tests each case on its own: with many cases and no real difference, about one in twenty still "
                + "comes out significant. \u201cHolm\u201d adjusts the p-values for testing all of a pair\u2019s cases at "
                + "once (Holm\u2019s step-down method, as qrbench compare does), so that the chance of any false finding "
                + "stays at 0.05.",
            "class",
            "note")
        .nl();
    int index = 0;
    for (Comparisons.Pair p : r.pairs()) {
      pair(h, r, p, index++);
    }
    h.close("section").nl();
  }

  private static void pair(Html h, ReportContext r, Comparisons.Pair p, int index) {
    String tableId = "comparison-" + index;
    h.open("h3", "class", "pair-title");
    HtmlPage.swatch(h, r, p.b());
    h.text(p.b() + " vs ");
    HtmlPage.swatch(h, r, p.a());
    h.text(p.a()).close("h3").nl();
    h.open("p", "class", "answer", "data-a", p.a(), "data-b", p.b());
    h.el("strong", "Is " + p.b() + "\u2019s accuracy different from " + p.a() + "\u2019s? ")
        .text(p.answer());
    h.close("p").nl();
    if (p.entries().isEmpty()) {
      h.el("p", "No case finished for both models.", "class", "empty").nl();
      return;
    }
    h.open("div", "class", "tools")
        .open("label")
        .empty("input", "type", "checkbox", "class", "only-significant", "data-table", tableId)
        .text(" only significant")
        .close("label")
        .close("div")
        .nl();
    double scale = scale(p);
    h.open("div", "class", "scroll")
        .open(
            "table",
            "id",
            tableId,
            "class",
            "data comparison-table",
            "data-a",
            p.a(),
            "data-b",
            p.b())
        .nl();
    h.open("thead").open("tr");
    h.el("th", "Perturbation", "scope", "col").el("th", "Level", "scope", "col");
    h.el("th", p.a() + " top-1", "class", "num", "scope", "col")
        .el("th", p.b() + " top-1", "class", "num", "scope", "col");
    h.el("th", "\u0394 B \u2212 A", "class", "num", "scope", "col")
        .el("th", "95% CI", "class", "num", "scope", "col");
    h.el("th", "\u00b1" + Fmt.fixed(scale, 0) + " points", "class", "ci-head", "scope", "col");
    h.el("th", "McNemar p", "class", "num", "scope", "col").el("th", "at 0.05", "scope", "col");
    h.el("th", "Holm p", "class", "num", "scope", "col").el("th", "Holm at 0.05", "scope", "col");
    h.el("th", "both right", "class", "num", "scope", "col")
        .el("th", "only " + p.a(), "class", "num", "scope", "col");
    h.el("th", "only " + p.b(), "class", "num", "scope", "col")
        .el("th", "neither", "class", "num", "scope", "col");
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (Comparisons.Entry e : p.entries()) {
      row(h, e, scale);
    }
    h.close("tbody").close("table").close("div").nl();
  }

  private static void row(Html h, Comparisons.Entry e, double scale) {
    PairedComparison s = e.stats();
    String cls =
        s == null
            ? "comparison-row no-outcomes"
            : s.significant() ? "comparison-row significant" : "comparison-row";
    h.open("tr", "class", cls, "data-case", e.row().key());
    h.el("td", e.row().perturbation(), "class", "perturbation");
    h.el("td", e.row().levelLabel(), "class", "level");
    h.el("td", Fmt.pct(e.a().metrics().top1()), "class", "num");
    h.el("td", Fmt.pct(e.b().metrics().top1()), "class", "num");
    if (s == null) {
      h.el("td", e.problem(), "colspan", Integer.toString(COLUMNS - 4), "class", "problem");
      h.close("tr").nl();
      return;
    }
    PairedComparison.Interval ci = s.differenceInterval();
    h.el(
        "td",
        Fmt.signed(s.difference()),
        "class",
        "num delta",
        "data-value",
        Fmt.exact(s.difference()));
    h.el(
        "td",
        Fmt.signed(ci.low()) + " to " + Fmt.signed(ci.high()),
        "class",
        "num ci",
        "data-low",
        Fmt.exact(ci.low()),
        "data-high",
        Fmt.exact(ci.high()));
    h.open("td", "class", "ci-cell");
    ciPlot(h, s, ci, scale);
    h.close("td");
    h.el("td", Fmt.p(s.mcNemarP()), "class", "num p", "data-value", Fmt.exact(s.mcNemarP()));
    h.el("td", s.significant() ? "significant" : "not significant", "class", "verdict");
    h.el("td", Fmt.p(e.holmP()), "class", "num holm-p", "data-value", Fmt.exact(e.holmP()));
    h.el(
        "td",
        e.significantAfterHolm() ? "significant" : "not significant",
        "class",
        e.significantAfterHolm() ? "verdict-holm significant" : "verdict-holm");
    h.el("td", Integer.toString(s.bothCorrect()), "class", "num both");
    h.el("td", Integer.toString(s.onlyA()), "class", "num only-a");
    h.el("td", Integer.toString(s.onlyB()), "class", "num only-b");
    h.el("td", Integer.toString(s.neither()), "class", "num neither");
    h.close("tr").nl();
  }

  /** A forest-plot whisker on the table's common scale, zero in the middle. */
  private static void ciPlot(
      Html h, PairedComparison s, PairedComparison.Interval ci, double scale) {
    double w = 100;
    double mid = w / 2;
    double half = mid - 4;
    h.open(
        "svg",
        "class",
        "ci-plot",
        "viewBox",
        "0 0 100 14",
        "width",
        "100",
        "height",
        "14",
        "aria-hidden",
        "true");
    h.empty("line", "class", "zero", "x1", c(mid), "x2", c(mid), "y1", "1", "y2", "13");
    h.empty(
        "line",
        "class",
        "whisker",
        "x1",
        c(mid + ci.low() / scale * half),
        "x2",
        c(mid + ci.high() / scale * half),
        "y1",
        "7",
        "y2",
        "7");
    h.empty(
        "circle",
        "class",
        "estimate",
        "cx",
        c(mid + s.difference() / scale * half),
        "cy",
        "7",
        "r",
        "3");
    h.close("svg");
  }

  /** The largest |CI end| in the table, rounded up to 5, 10, 20 ... points (at most 100). */
  private static double scale(Comparisons.Pair p) {
    double max =
        p.tested().stream()
            .mapToDouble(
                e ->
                    Math.max(
                        Math.abs(e.stats().differenceInterval().low()),
                        Math.abs(e.stats().differenceInterval().high())))
            .max()
            .orElse(1);
    for (double s : new double[] {1, 2, 5, 10, 20, 50}) {
      if (max <= s) {
        return s;
      }
    }
    return 100;
  }

  private static String c(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalStateException("non-finite coordinate " + v);
    }
    return Fmt.fixed(v, 1);
  }
}
