package io.qrbench.reports;

import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.CaseResult;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.SuiteInfo;
import java.util.List;

/** The {@code summary} section: what ran, how it went, and the headline differences. */
final class SummarySection {
  private SummarySection() {}

  static void render(Html h, ReportContext r) {
    RunResult result = r.result();
    SuiteInfo suite = result.suite();
    h.open("section", "id", "summary").nl();
    h.el("h1", suite == null ? "qrbench run" : suite.name(), "id", "suite-name").nl();
    if (suite != null && suite.description() != null && !suite.description().isBlank()) {
      h.el("p", suite.description(), "class", "description").nl();
    }
    facts(h, r);
    headline(h, r);
    h.close("section").nl();
  }

  private static void facts(Html h, ReportContext r) {
    RunResult result = r.result();
    SuiteInfo suite = result.suite();
    h.open("dl", "class", "facts").nl();
    fact(h, "Status");
    h.open("dd")
        .el("span", Fmt.or(result.status()), "class", "badge status-" + Fmt.or(result.status()))
        .close("dd");
    fact(h, "Models");
    h.open("dd", "class", "models");
    for (String m : r.grid().models()) {
      h.open("span", "class", "model-chip", "data-model", m);
      HtmlPage.swatch(h, r, m);
      h.text(m);
      ModelResult mr = r.model(m);
      if (mr != null) {
        h.el("small", mr.quantizer());
      }
      h.close("span").raw(" ");
    }
    h.close("dd");
    if (suite != null) {
      fact(h, "Data");
      h.el(
          "dd",
          Fmt.or(suite.dataset())
              + " / "
              + Fmt.or(suite.split())
              + ", "
              + Fmt.count(suite.images())
              + " images per case");
    }
    long failed = result.cases().stream().filter(c -> !c.ok()).count();
    fact(h, "Cases");
    h.el(
        "dd",
        result.cases().size() + (failed == 0 ? ", all finished" : ", " + failed + " failed"),
        "class",
        failed == 0 ? null : "bad");
    fact(h, "Checks");
    long passed = result.checks().stream().filter(c -> c.passed()).count();
    h.el(
        "dd",
        result.checks().isEmpty() ? "none" : passed + " of " + result.checks().size() + " passed",
        "class",
        result.checksPassed() ? null : "bad");
    fact(h, "Wall time");
    h.el("dd", Fmt.duration(result.wallSeconds()));
    h.close("dl").nl();
  }

  private static void fact(Html h, String name) {
    h.el("dt", name);
  }

  /**
   * Each later model against the first on clean images, then the largest significant differences.
   */
  private static void headline(Html h, ReportContext r) {
    List<Comparisons.Pair> vsFirst = Comparisons.againstFirst(r.pairs(), r.grid());
    if (vsFirst.isEmpty()) {
      return;
    }
    h.el("h2", "Headline", "id", "headline-title").nl();
    h.open("ul", "id", "headline").nl();
    CaseGrid.Row clean = r.grid().clean();
    for (Comparisons.Pair p : vsFirst) {
      h.open("li", "class", "headline-item", "data-model", p.b());
      h.el("strong", p.b() + " vs " + p.a());
      Comparisons.Entry e = clean == null ? null : p.entry(clean);
      if (e == null) {
        h.text(": no clean case both models finished.");
      } else if (e.stats() == null) {
        h.text(", clean: " + top1(e.b()) + "% vs " + top1(e.a()) + "% (" + e.problem() + ").");
      } else {
        h.text(
            ", clean top-1: "
                + Fmt.pct(e.stats().accuracyB())
                + "% vs "
                + Fmt.pct(e.stats().accuracyA())
                + "%, a difference of ");
        difference(h, e.stats());
        h.text(".");
      }
      h.raw(" ").el("span", p.answer(), "class", "answer");
      h.close("li").nl();
    }
    h.close("ul").nl();
    List<Comparisons.Entry> largest = Comparisons.largestSignificant(vsFirst, 5);
    if (!largest.isEmpty()) {
      h.el("h3", "Largest significant differences").nl();
      h.open("ol", "id", "largest-differences").nl();
      for (Comparisons.Entry e : largest) {
        h.open("li", "data-case", e.row().key());
        h.el("strong", e.b().model() + " \u2212 " + e.a().model())
            .text(" under ")
            .el(
                "span",
                e.row().perturbation()
                    + (e.row().levelLabel().isEmpty() ? "" : " " + e.row().levelLabel()),
                "class",
                "case-name")
            .text(": ");
        difference(h, e.stats());
        h.close("li").nl();
      }
      h.close("ol").nl();
    }
  }

  /**
   * "+0.3 points (95% CI −1.5 to +2.1), McNemar p = 0.77, not significant" with the verdict marked
   * up.
   */
  static void difference(Html h, PairedComparison s) {
    PairedComparison.Interval ci = s.differenceInterval();
    h.el("span", Fmt.signed(s.difference()) + " points", "class", "num");
    h.text(
        " (95% CI "
            + Fmt.signed(ci.low())
            + " to "
            + Fmt.signed(ci.high())
            + "), McNemar p = "
            + Fmt.p(s.mcNemarP())
            + ", ");
    h.el(
        "span",
        s.significant() ? "significant" : "not significant",
        "class",
        s.significant() ? "verdict significant" : "verdict not-significant");
  }

  private static String top1(CaseResult c) {
    return Fmt.pct(c.metrics().top1());
  }
}
