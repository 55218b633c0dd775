package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code examples} section: the first images of the split, clean and under each perturbation at
 * its strongest level, as the first model saw them; results keep up to four per case as small PNGs
 * (a few kilobytes each), since the report reads results only and cannot perturb images itself.
 */
final class ExamplesSection {
  /** A PNG data URI and nothing else: the only image source the page accepts from results. */
  private static final Pattern PNG = Pattern.compile("data:image/png;base64,[A-Za-z0-9+/]+={0,2}");

  private ExamplesSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "examples", "Example images");
    String model = modelWithExamples(r);
    if (model == null) {
      h.el(
              "p",
              "These results keep no example images (an older qrbench wrote them).",
              "class",
              "empty")
          .nl();
      h.close("section").nl();
      return;
    }
    h.el(
            "p",
            "The first images of the split as "
                + model
                + " saw them: clean, and under each perturbation at its strongest level (adversarial "
                + "images are crafted against "
                + model
                + "; other models see their own).",
            "class",
            "note")
        .nl();
    h.open("div", "class", "scroll").open("table", "id", "examples-table", "class", "data").nl();
    h.open("tbody").nl();
    for (CaseGrid.Row row : strongest(r)) {
      CaseResult c = r.grid().cell(row, model);
      if (!CaseGrid.ok(c) || c.metrics().examples().isEmpty()) {
        continue;
      }
      h.open("tr", "class", "example-row", "data-case", row.key());
      h.open("th", "scope", "row").text(row.perturbation());
      if (!row.levelLabel().isEmpty()) {
        h.raw(" ").el("span", row.levelLabel(), "class", "level");
      }
      h.close("th");
      int i = 0;
      for (String uri : c.metrics().examples()) {
        i++;
        if (PNG.matcher(uri).matches()) {
          h.open("td", "class", "example")
              .empty(
                  "img",
                  "src",
                  uri,
                  "alt",
                  "image " + i + ", " + row.perturbation() + " " + row.levelLabel(),
                  "width",
                  "64",
                  "height",
                  "64")
              .close("td");
        } else {
          h.el("td", "not a PNG", "class", "example missing");
        }
      }
      h.close("tr").nl();
    }
    h.close("tbody").close("table").close("div").nl();
    h.close("section").nl();
  }

  /** The first model in suite order whose clean case kept example images, or null. */
  private static String modelWithExamples(ReportContext r) {
    for (String m : r.grid().models()) {
      for (CaseGrid.Row row : r.grid().rows()) {
        CaseResult c = r.grid().cell(row, m);
        if (CaseGrid.ok(c) && !c.metrics().examples().isEmpty()) {
          return m;
        }
      }
    }
    return null;
  }

  /**
   * Clean first, then each perturbation's strongest level: the largest value of a numeric sweep,
   * else its last level in run order.
   */
  static List<CaseGrid.Row> strongest(ReportContext r) {
    List<CaseGrid.Row> rows = new ArrayList<>();
    CaseGrid.Row clean = r.grid().clean();
    if (clean != null) {
      rows.add(clean);
    }
    r.grid()
        .byPerturbation()
        .forEach(
            (name, group) -> {
              if (clean != null && group.contains(clean)) {
                return;
              }
              rows.add(
                  Sweep.of(name, group)
                      .map(s -> s.points().get(s.points().size() - 1).row())
                      .orElse(group.get(group.size() - 1)));
            });
    return rows;
  }
}
