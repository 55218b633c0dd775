package io.qrbench.reports;

import io.qrbench.result.CheckResult;

/** The {@code checks} section: the suite's assertions, green when they held, red when not. */
final class ChecksSection {
  private ChecksSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "checks", "Checks");
    if (r.result().checks().isEmpty()) {
      h.el("p", "No checks: the suite asserts nothing about its results.", "class", "empty").nl();
      h.close("section").nl();
      return;
    }
    h.open("table", "id", "checks-table", "class", "data").nl();
    h.open("thead").open("tr");
    h.el("th", "", "scope", "col")
        .el("th", "Check", "scope", "col")
        .el("th", "Detail", "scope", "col");
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (CheckResult c : r.result().checks()) {
      h.open("tr", "class", c.passed() ? "check-pass" : "check-fail");
      h.el("td", c.passed() ? "\u2713 pass" : "\u2717 fail", "class", "verdict");
      h.open("td").el("code", c.expression()).close("td");
      h.el("td", Fmt.or(c.detail()));
      h.close("tr").nl();
    }
    h.close("tbody").close("table").nl();
    h.close("section").nl();
  }
}
