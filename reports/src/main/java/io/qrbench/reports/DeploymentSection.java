package io.qrbench.reports;

import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.ModelResult;
import java.util.List;

/**
 * The {@code deployment} section, for suites that deploy a model ({@code deploy: {from: ...}}):
 * each deployed model beside the model it was exported from, case by case, with the paired test
 * that says whether deployment (an ONNX graph, int8 activations, another runtime's kernels) changed
 * what the model gets right.
 */
final class DeploymentSection {
  private DeploymentSection() {}

  static void render(Html h, ReportContext r) {
    List<ModelResult> deployed =
        r.result().models().stream().filter(m -> m.deployedFrom() != null).toList();
    if (deployed.isEmpty()) {
      return;
    }
    HtmlPage.section(h, "deployment", "Deployment parity");
    h.el(
            "p",
            "Each deployed model is its source exported to ONNX and run on "
                + "another engine. \u0394 is the deployed model\u2019s top-1 minus its source\u2019s, in points, on the "
                + "same images; \u201cdiffer\u201d counts the images exactly one of the two gets right, and McNemar\u2019s "
                + "exact test asks whether the difference is more than chance.",
            "class",
            "note")
        .nl();
    for (ModelResult m : deployed) {
      String from = m.deployedFrom();
      Comparisons.Pair p = r.pair(from, m.name());
      h.open("h3", "class", "pair-title");
      HtmlPage.swatch(h, r, m.name());
      h.text(m.name() + " (" + (m.backend() == null ? "deployed" : m.backend()) + ") vs ");
      HtmlPage.swatch(h, r, from);
      h.text(from).close("h3").nl();
      if (p == null || p.entries().isEmpty()) {
        h.el(
                "p",
                p == null
                    ? from + " comes after " + m.name() + " in the suite, or did not run."
                    : "No case finished for both models.",
                "class",
                "empty")
            .nl();
        continue;
      }
      h.open("p", "class", "answer", "data-a", from, "data-b", m.name());
      h.text(summary(p)).close("p").nl();
      h.open("div", "class", "scroll")
          .open("table", "class", "data deployment-table", "data-a", from, "data-b", m.name())
          .nl();
      h.open("thead").open("tr");
      h.el("th", "Perturbation", "scope", "col").el("th", "Level", "scope", "col");
      h.el("th", from + " top-1", "class", "num", "scope", "col")
          .el("th", m.name() + " top-1", "class", "num", "scope", "col")
          .el("th", "\u0394", "class", "num", "scope", "col")
          .el("th", "differ", "class", "num", "scope", "col")
          .el("th", "McNemar p", "class", "num", "scope", "col");
      h.close("tr").close("thead").nl().open("tbody").nl();
      for (Comparisons.Entry e : p.entries()) {
        h.open("tr", "data-perturbation", e.row().perturbation());
        h.el("td", e.row().perturbation()).el("td", e.row().levelLabel());
        h.el("td", Fmt.pct(e.a().metrics().top1()), "class", "num")
            .el("td", Fmt.pct(e.b().metrics().top1()), "class", "num");
        PairedComparison s = e.stats();
        if (s == null) {
          h.el("td", Fmt.DASH, "class", "num", "title", e.problem())
              .el("td", Fmt.DASH, "class", "num")
              .el("td", Fmt.DASH, "class", "num");
        } else {
          h.el("td", signed2(s.difference()), "class", "num delta")
              .el("td", Fmt.count(s.discordant()), "class", "num")
              .el("td", Fmt.p(s.mcNemarP()), "class", s.significant() ? "num significant" : "num");
        }
        h.close("tr").nl();
      }
      h.close("tbody").close("table").close("div").nl();
    }
    h.close("section").nl();
  }

  /** One sentence: the largest difference and how many cases differ significantly. */
  static String summary(Comparisons.Pair p) {
    List<Comparisons.Entry> tested = p.tested();
    if (tested.isEmpty()) {
      return "No case could be compared image by image.";
    }
    Comparisons.Entry worst =
        tested.stream()
            .max(java.util.Comparator.comparingDouble(e -> Math.abs(e.stats().difference())))
            .orElseThrow();
    long significant = tested.stream().filter(Comparisons.Entry::significant).count();
    return "Largest difference "
        + signed2(worst.stats().difference())
        + " points ("
        + worst.row().perturbation()
        + (worst.row().levelLabel().isEmpty() ? "" : " " + worst.row().levelLabel())
        + "); "
        + significant
        + " of "
        + tested.size()
        + (tested.size() == 1 ? " case differs" : " cases differ")
        + " significantly at 0.05.";
  }

  /** Points with two decimals and a sign: deployment differences are often a few hundredths. */
  static String signed2(double v) {
    String s = Fmt.fixed(Math.abs(v), 2);
    return s.equals("0.00") ? s : (v < 0 ? Fmt.MINUS : "+") + s;
  }
}
