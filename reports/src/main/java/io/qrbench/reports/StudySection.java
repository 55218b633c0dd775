package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Metric;
import io.qrbench.result.Metrics;
import java.util.List;

/** The {@code study} section: one row per perturbation and level, top-1 / top-5 / |δ| per model. */
final class StudySection {
  private StudySection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "study", "Accuracy by perturbation and level");
    List<String> models = r.grid().models();
    String base = r.baseline();
    h.el(
            "p",
            "Top-1 and top-5 accuracy in percent"
                + (r.result().suite() == null
                    ? ""
                    : " on " + Fmt.count(r.result().suite().images()) + " images per case")
                + "; mean |\u03b4| is the mean absolute pixel change in 0\u2013255 units."
                + (models.size() > 1
                    ? " \u0394 is the top-1 difference from "
                        + base
                        + " in points, bold where McNemar\u2019s test finds it significant at 0.05."
                    : ""),
            "class",
            "note")
        .nl();
    h.open("div", "class", "tools")
        .open("label")
        .text("Filter ")
        .empty(
            "input",
            "type",
            "search",
            "id",
            "study-filter",
            "placeholder",
            "perturbation or level",
            "autocomplete",
            "off")
        .close("label")
        .close("div")
        .nl();
    h.open("div", "class", "scroll").open("table", "id", "study-table", "class", "data").nl();
    header(h, r);
    h.open("tbody").nl();
    String previous = null;
    for (CaseGrid.Row row : r.grid().rows()) {
      boolean first = !row.perturbation().equals(previous);
      previous = row.perturbation();
      row(h, r, row, first);
    }
    h.close("tbody").close("table").close("div").nl();
    h.close("section").nl();
  }

  private static void header(Html h, ReportContext r) {
    List<String> models = r.grid().models();
    h.open("thead").open("tr");
    h.el("th", "Perturbation", "rowspan", "2", "scope", "col");
    h.el("th", "Level", "rowspan", "2", "scope", "col");
    for (String m : models) {
      h.open(
          "th",
          "colspan",
          "3",
          "scope",
          "colgroup",
          "class",
          "model-head m" + r.grid().colour(m),
          "data-model",
          m);
      HtmlPage.swatch(h, r, m);
      h.text(m).close("th");
    }
    for (String m : models.subList(Math.min(1, models.size()), models.size())) {
      // short at narrow widths: the baseline is named in the note above and in the title
      h.el(
          "th",
          "\u0394 " + m,
          "rowspan",
          "2",
          "scope",
          "col",
          "class",
          "num",
          "title",
          "top-1 of " + m + " \u2212 top-1 of " + r.baseline() + ", in points");
    }
    h.close("tr").nl().open("tr");
    for (int i = 0; i < models.size(); i++) {
      h.el("th", Metric.TOP1.label(), "class", "num", "scope", "col");
      h.el("th", Metric.TOP5.label(), "class", "num", "scope", "col");
      h.open("th", "class", "num", "scope", "col")
          .el("abbr", "|\u03b4|", "title", "mean |x\u2032 \u2212 x| in 0\u2013255 units")
          .close("th");
    }
    h.close("tr").close("thead").nl();
  }

  private static void row(Html h, ReportContext r, CaseGrid.Row row, boolean first) {
    h.open("tr", "class", first ? "case-row group-start" : "case-row", "data-case", row.key());
    h.el("td", row.perturbation(), "class", first ? "perturbation" : "perturbation repeat");
    h.el("td", row.levelLabel(), "class", "level");
    for (String m : r.grid().models()) {
      CaseResult c = r.grid().cell(row, m);
      if (c == null) {
        h.el("td", "not run", "colspan", "3", "class", "missing", "data-model", m);
      } else if (!CaseGrid.ok(c)) {
        failed(h, c);
      } else if (CaseGrid.isMinimal(row)) {
        size(h, c);
      } else {
        metrics(h, c, row);
      }
    }
    List<String> models = r.grid().models();
    for (String m : models.subList(Math.min(1, models.size()), models.size())) {
      if (CaseGrid.isMinimal(row)) {
        h.el("td", "", "class", "num delta");
      } else {
        delta(h, r, row, m);
      }
    }
    h.close("tr").nl();
  }

  /**
   * A minimal-perturbation attack's row: its accuracy is about 0 by construction, so the cells say
   * how large a change fooled the model (medians, L-infinity in 1/255) and how often it did.
   */
  private static void size(Html h, CaseResult c) {
    Metrics m = c.metrics();
    Double linf = Metric.MEDIAN_LINF.value(m).orElse(m.meanLinf());
    Double l2 = Metric.MEDIAN_L2.value(m).orElse(m.meanL2());
    boolean median = Metric.MEDIAN_LINF.value(m).isPresent();
    Double fooled = Metric.FOOLED.value(m).orElse(null);
    String text =
        (median ? "median" : "mean")
            + " L\u221e "
            + Fmt.fixed(255 * linf, 2)
            + "/255, L2 "
            + Fmt.fixed(l2, 3)
            + (fooled == null ? "" : ", fooled " + Fmt.pct(100 * fooled) + "%");
    h.el(
        "td",
        text,
        "colspan",
        "3",
        "class",
        "num minimal-size",
        "data-model",
        c.model(),
        "data-metric",
        median ? Metric.MEDIAN_LINF.key() : Metric.MEAN_LINF.key(),
        "data-value",
        Fmt.exact(linf),
        "title",
        "a minimal-perturbation attack: accuracy is about 0 by construction, so its size is shown; see the Minimal section");
  }

  private static void failed(Html h, CaseResult c) {
    String error = c.error() == null ? "no error recorded" : c.error();
    String firstLine = error.lines().findFirst().orElse("");
    String shown = firstLine.length() > 160 ? firstLine.substring(0, 157) + "\u2026" : firstLine;
    h.open("td", "colspan", "3", "class", "failed", "data-model", c.model(), "title", error);
    h.el("strong", "failed: ").text(shown).close("td");
  }

  private static void metrics(Html h, CaseResult c, CaseGrid.Row row) {
    Metrics m = c.metrics();
    h.el(
        "td",
        Fmt.pct(m.top1()),
        "class",
        "num acc",
        "data-model",
        c.model(),
        "data-metric",
        Metric.TOP1.key(),
        "data-value",
        Fmt.exact(m.top1()),
        "style",
        "--acc:" + Fmt.fixed(Math.max(0, Math.min(100, m.top1())), 1) + "%");
    h.el(
        "td",
        Fmt.pct(m.top5()),
        "class",
        "num",
        "data-model",
        c.model(),
        "data-metric",
        Metric.TOP5.key(),
        "data-value",
        Fmt.exact(m.top5()));
    boolean perturbed = !"none".equals(row.perturbationId());
    h.el(
        "td",
        perturbed ? Fmt.fixed(m.meanAbs255(), 2) : "",
        "class",
        "num dim-num",
        "data-model",
        c.model(),
        "data-metric",
        Metric.MEAN_ABS_255.key(),
        "data-value",
        perturbed ? Fmt.exact(m.meanAbs255()) : null);
  }

  private static void delta(Html h, ReportContext r, CaseGrid.Row row, String model) {
    Comparisons.Pair pair = r.pair(r.baseline(), model);
    Comparisons.Entry e = pair == null ? null : pair.entry(row);
    if (e == null) {
      h.el("td", "", "class", "num delta");
    } else if (e.stats() == null) {
      double d = e.b().metrics().top1() - e.a().metrics().top1();
      h.el(
          "td",
          Fmt.signed(d),
          "class",
          "num delta",
          "data-value",
          Fmt.exact(d),
          "title",
          e.problem());
    } else {
      var s = e.stats();
      var ci = s.differenceInterval();
      h.el(
          "td",
          Fmt.signed(s.difference()),
          "class",
          s.significant() ? "num delta significant" : "num delta",
          "data-value",
          Fmt.exact(s.difference()),
          "title",
          "95% CI "
              + Fmt.signed(ci.low())
              + " to "
              + Fmt.signed(ci.high())
              + ", McNemar p = "
              + Fmt.p(s.mcNemarP()));
    }
  }
}
