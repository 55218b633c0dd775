package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Metric;
import io.qrbench.result.Metrics;
import java.util.List;

/**
 * The {@code minimal} section: how large a perturbation it takes to fool each model, by the {@code
 * minimal} attack (L-infinity) and DeepFool (L2 or L-infinity), with means and medians (the sizes
 * are skewed, and images never fooled count with the budget in the mean).
 */
final class MinimalSection {
  /**
   * The size of the smallest perturbation that fools, in the ways the framework measures it: four
   * means and, where the case kept them, two medians (a dash for results written before).
   */
  static final List<Metric> DISTANCES =
      List.of(
          Metric.MEAN_ABS,
          Metric.MEAN_ABS_255,
          Metric.MEAN_L2,
          Metric.MEDIAN_L2,
          Metric.MEAN_LINF,
          Metric.MEDIAN_LINF);

  private MinimalSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "minimal", "Minimal perturbation");
    List<CaseGrid.Row> rows = r.grid().minimalRows();
    if (rows.isEmpty()) {
      h.el("p", "The suite has no minimal-perturbation attack.", "class", "empty").nl();
      h.close("section").nl();
      return;
    }
    h.el(
            "p",
            "The smallest perturbation that changes each image\u2019s prediction, within the attack\u2019s "
                + "budget (minimal: L\u221e; deepfool: the norm it is configured with): larger means harder to fool. Images "
                + "the budget cannot fool count with the whole budget, so the means are lower bounds for them.",
            "class",
            "note")
        .nl();
    boolean many = rows.size() > 1;
    h.open("div", "class", "scroll").open("table", "id", "minimal-table", "class", "data").nl();
    h.open("thead").open("tr");
    h.el("th", "Model", "scope", "col");
    if (many) {
      h.el("th", "Attack", "scope", "col");
      h.el("th", "Level", "scope", "col");
    }
    h.el("th", Metric.IMAGES.label(), "class", "num", "scope", "col");
    for (Metric metric : DISTANCES) {
      h.el("th", metric.label(), "class", "num", "scope", "col");
    }
    h.el("th", Metric.FOOLED.label(), "class", "num", "scope", "col");
    h.el("th", "never " + Metric.FOOLED.label(), "class", "num", "scope", "col");
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (CaseGrid.Row row : rows) {
      for (String m : r.grid().models()) {
        CaseResult c = r.grid().cell(row, m);
        if (c != null) {
          row(h, r, row, c, many);
        }
      }
    }
    h.close("tbody").close("table").close("div").nl();
    h.close("section").nl();
  }

  private static void row(Html h, ReportContext r, CaseGrid.Row row, CaseResult c, boolean many) {
    h.open("tr", "class", "minimal-row", "data-model", c.model(), "data-case", row.key());
    h.open("td");
    HtmlPage.swatch(h, r, c.model());
    h.text(c.model()).close("td");
    if (many) {
      h.el("td", row.perturbation());
      h.el("td", row.levelLabel(), "class", "level");
    }
    if (!CaseGrid.ok(c)) {
      h.el("td", "failed: " + Fmt.or(c.error()), "colspan", "9", "class", "failed");
      h.close("tr").nl();
      return;
    }
    Metrics m = c.metrics();
    cell(h, Fmt.count(m.images()), Metric.IMAGES.key(), m.images());
    for (Metric metric : DISTANCES) {
      Double v = metric.value(m).orElse(null);
      if (v == null) {
        h.el("td", Fmt.DASH, "class", "num", "data-metric", metric.key());
      } else {
        cell(h, Fmt.fixed(v, metric.decimals()), metric.key(), v);
      }
    }
    Double fooled = Metric.FOOLED.value(m).orElse(null);
    String never = "never_" + Metric.FOOLED.key();
    if (fooled == null) {
      h.el("td", Fmt.DASH, "class", "num", "data-metric", Metric.FOOLED.key());
      h.el("td", Fmt.DASH, "class", "num", "data-metric", never);
    } else {
      cell(h, Fmt.pct(100 * fooled) + "%", Metric.FOOLED.key(), fooled);
      long n = Math.round((1 - fooled) * m.images());
      cell(h, Fmt.count(n), never, n);
    }
    h.close("tr").nl();
  }

  private static void cell(Html h, String shown, String metric, double value) {
    h.el("td", shown, "class", "num", "data-metric", metric, "data-value", Fmt.exact(value));
  }
}
