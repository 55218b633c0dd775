package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import java.util.List;

/**
 * The {@code minimal} section: how large a perturbation it takes to fool each model, by the
 * {@code minimal} attack (L-infinity) and DeepFool (L2 or L-infinity), with means and medians (the
 * sizes are skewed, and images never fooled count with the budget in the mean).
 */
final class MinimalSection {
  private MinimalSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "minimal", "Minimal perturbation");
    List<CaseGrid.Row> rows = r.grid().minimalRows();
    if (rows.isEmpty()) {
      h.el("p", "The suite has no minimal-perturbation attack.", "class", "empty").nl();
      h.close("section").nl();
      return;
    }
    h.el("p", "The smallest perturbation that changes each image\u2019s prediction, within the attack\u2019s "
        + "budget (minimal: L\u221e; deepfool: the norm it is configured with): larger means harder to fool. Images "
        + "the budget cannot fool count with the whole budget, so the means are lower bounds for them.",
        "class", "note").nl();
    boolean many = rows.size() > 1;
    h.open("div", "class", "scroll").open("table", "id", "minimal-table", "class", "data").nl();
    h.open("thead").open("tr");
    h.el("th", "Model", "scope", "col");
    if (many) {
      h.el("th", "Attack", "scope", "col");
      h.el("th", "Level", "scope", "col");
    }
    for (String col : new String[] {"images", "mean |\u03b4| [0,1]", "mean |\u03b4| (0\u2013255)", "mean L2",
        "median L2", "mean L\u221e", "median L\u221e", "fooled", "never fooled"}) {
      h.el("th", col, "class", "num", "scope", "col");
    }
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
    cell(h, Fmt.count(m.images()), "images", m.images());
    cell(h, Fmt.fixed(m.meanAbs(), 5), "mean_abs", m.meanAbs());
    cell(h, Fmt.fixed(m.meanAbs255(), 3), "mean_abs_255", m.meanAbs255());
    cell(h, Fmt.fixed(m.meanL2(), 4), "mean_l2", m.meanL2());
    median(h, m, Metrics.MEDIAN_L2, 4, "median_l2");
    cell(h, Fmt.fixed(m.meanLinf(), 5), "mean_linf", m.meanLinf());
    median(h, m, Metrics.MEDIAN_LINF, 5, "median_linf");
    Double fooled = m.extra().get("fooled");
    if (fooled == null) {
      h.el("td", Fmt.DASH, "class", "num", "data-metric", "fooled");
      h.el("td", Fmt.DASH, "class", "num", "data-metric", "never_fooled");
    } else {
      cell(h, Fmt.pct(100 * fooled) + "%", "fooled", fooled);
      long never = Math.round((1 - fooled) * m.images());
      cell(h, Fmt.count(never), "never_fooled", never);
    }
    h.close("tr").nl();
  }

  /** A median from the case's extra measurements; a dash for results written before it was kept. */
  private static void median(Html h, Metrics m, String key, int digits, String metric) {
    Double v = m.extra().get(key);
    if (v == null) {
      h.el("td", Fmt.DASH, "class", "num", "data-metric", metric);
    } else {
      cell(h, Fmt.fixed(v, digits), metric, v);
    }
  }

  private static void cell(Html h, String shown, String metric, double value) {
    h.el("td", shown, "class", "num", "data-metric", metric, "data-value", Fmt.exact(value));
  }
}
