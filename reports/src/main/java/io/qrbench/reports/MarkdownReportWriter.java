package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CheckResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.Metric;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SuiteInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code summary.md}: a compact GitHub-flavoured summary for a pull-request comment or a CI step
 * summary ({@code cat summary.md >> $GITHUB_STEP_SUMMARY}). Sweeps fold into one row per
 * perturbation so the table stays short; the HTML report and the CSV keep every number.
 */
public final class MarkdownReportWriter extends TextFileReportWriter {
  /**
   * The minimal attack's distances in the Markdown table (the [0,1] mean is left to the HTML
   * report).
   */
  private static final List<Metric> MARKDOWN_DISTANCES =
      List.of(Metric.MEAN_ABS_255, Metric.MEAN_L2, Metric.MEAN_LINF);

  /** The file written inside the output folder. */
  public static final String FILE = "summary.md";

  public MarkdownReportWriter() {
    super(FILE, MarkdownReportWriter::render);
  }

  /** Sweeps longer than this show their first and last levels only. */
  private static final int MAX_LEVELS = 6;

  @Override
  public String id() {
    return "markdown";
  }

  @Override
  public String description() {
    return "a compact Markdown summary for a pull request or a CI step summary";
  }

  static String render(RunResult result) {
    ReportContext r = ReportContext.of(result);
    StringBuilder out = new StringBuilder(8192);
    title(out, r);
    accuracy(out, r);
    comparisons(out, r);
    minimal(out, r);
    checks(out, r);
    footer(out, r);
    return out.toString();
  }

  /** Text from the run in a line, a heading or a list item (see {@link Markdown}). */
  static String esc(Object value) {
    return Markdown.inline(value);
  }

  /** Text from the run in a table cell (see {@link Markdown}). */
  static String cellText(Object value) {
    return Markdown.cell(value);
  }

  private static void title(StringBuilder out, ReportContext r) {
    RunResult result = r.result();
    SuiteInfo suite = result.suite();
    boolean good =
        result.status() == RunStatus.COMPLETE && result.allPassed() && result.checksPassed();
    out.append("## ")
        .append(good ? "\u2705 " : "\u274c ")
        .append("qrbench: ")
        .append(esc(suite == null ? "run" : suite.name()))
        .append("\n\n");
    if (suite != null && suite.description() != null && !suite.description().isBlank()) {
      out.append(esc(suite.description())).append("\n\n");
    }
    long failed = result.cases().stream().filter(c -> !c.ok()).count();
    List<String> facts = new ArrayList<>();
    facts.add(
        "**Status:** "
            + esc(result.status())
            + (failed > 0 ? " (" + failed + " failed cases)" : ""));
    if (suite != null) {
      facts.add(
          "**Data:** "
              + esc(suite.dataset())
              + " / "
              + esc(suite.split())
              + ", "
              + suite.images()
              + " images per case");
    }
    List<String> models = new ArrayList<>();
    for (String m : r.grid().models()) {
      var mr = r.model(m);
      models.add(esc(m) + (mr == null ? "" : " (" + esc(mr.quantizer()) + ")"));
    }
    facts.add("**Models:** " + String.join(", ", models));
    if (!result.checks().isEmpty()) {
      long passed = result.checks().stream().filter(CheckResult::passed).count();
      facts.add("**Checks:** " + passed + "/" + result.checks().size() + " passed");
    }
    out.append(String.join(" \u00b7 ", facts)).append("\n\n");
  }

  private static void accuracy(StringBuilder out, ReportContext r) {
    if (r.grid().rows().isEmpty()) {
      return;
    }
    List<String> models = r.grid().models();
    out.append("### Top-1 accuracy (%)\n\n| Perturbation | Level |");
    models.forEach(m -> out.append(' ').append(cellText(m)).append(" |"));
    out.append("\n|---|---|");
    models.forEach(m -> out.append("--:|"));
    out.append('\n');
    for (Map.Entry<String, List<CaseGrid.Row>> group : r.grid().byPerturbation().entrySet()) {
      Optional<Sweep> sweep = Sweep.of(group.getKey(), group.getValue());
      if (sweep.isPresent()) {
        sweepRow(out, r, sweep.get());
      } else {
        for (CaseGrid.Row row : group.getValue()) {
          out.append("| ")
              .append(cellText(row.perturbation()))
              .append(" | ")
              .append(cellText(row.levelLabel()))
              .append(" |");
          models.forEach(m -> out.append(' ').append(cell(r.grid().cell(row, m))).append(" |"));
          out.append('\n');
        }
      }
    }
    out.append('\n');
  }

  /**
   * A sweep folds into one row: {@code severity 1…5} and the values in order, {@code ·}-separated.
   */
  private static void sweepRow(StringBuilder out, ReportContext r, Sweep s) {
    List<Sweep.Point> points = shown(s.points());
    out.append("| ")
        .append(cellText(s.perturbation()))
        .append(" | ")
        .append(cellText(s.key()))
        .append(' ');
    out.append(cellText(s.points().get(0).text()))
        .append('\u2026')
        .append(cellText(s.points().get(s.points().size() - 1).text()));
    out.append(" (").append(s.points().size()).append(") |");
    for (String m : r.grid().models()) {
      List<String> values = new ArrayList<>();
      for (Sweep.Point p : points) {
        values.add(p == null ? "\u2026" : cell(r.grid().cell(p.row(), m)));
      }
      out.append(' ').append(String.join(" \u00b7 ", values)).append(" |");
    }
    out.append('\n');
  }

  /** All points of a short sweep; the first three, a gap (null) and the last two of a long one. */
  private static List<Sweep.Point> shown(List<Sweep.Point> points) {
    if (points.size() <= MAX_LEVELS) {
      return points;
    }
    List<Sweep.Point> shown = new ArrayList<>(points.subList(0, 3));
    shown.add(null);
    shown.addAll(points.subList(points.size() - 2, points.size()));
    return shown;
  }

  private static String cell(CaseResult c) {
    if (c == null) {
      return "\u2014";
    }
    if (!CaseGrid.ok(c)) {
      return "failed";
    }
    return Fmt.pct(c.metrics().top1());
  }

  private static void comparisons(StringBuilder out, ReportContext r) {
    for (Comparisons.Pair p : Comparisons.againstFirst(r.pairs(), r.grid())) {
      out.append("### Is ")
          .append(esc(p.b()))
          .append("\u2019s accuracy different from ")
          .append(esc(p.a()))
          .append("\u2019s?\n\n")
          .append(esc(p.answer()));
      CaseGrid.Row clean = r.grid().clean();
      Comparisons.Entry e = clean == null ? null : p.entry(clean);
      if (e != null && e.stats() != null) {
        out.append(" Clean images: ").append(difference(e));
      }
      out.append("\n\n");
      List<Comparisons.Entry> largest = Comparisons.largestSignificant(List.of(p), 5);
      if (!largest.isEmpty()) {
        out.append("Largest significant differences (")
            .append(esc(p.b()))
            .append(" \u2212 ")
            .append(esc(p.a()))
            .append("):\n\n");
        for (Comparisons.Entry l : largest) {
          out.append("- ")
              .append(esc(l.row().perturbation()))
              .append(l.row().levelLabel().isEmpty() ? "" : " " + esc(l.row().levelLabel()))
              .append(": ")
              .append(difference(l))
              .append('\n');
        }
        out.append('\n');
      }
    }
  }

  private static String difference(Comparisons.Entry e) {
    var s = e.stats();
    var ci = s.differenceInterval();
    return Fmt.signed(s.difference())
        + " points (95% CI "
        + Fmt.signed(ci.low())
        + " to "
        + Fmt.signed(ci.high())
        + "), McNemar p = "
        + Fmt.p(s.mcNemarP())
        + (s.significant() ? ", significant." : ", not significant.");
  }

  private static void minimal(StringBuilder out, ReportContext r) {
    List<CaseGrid.Row> rows = r.grid().minimalRows();
    if (rows.isEmpty()) {
      return;
    }
    boolean levels = rows.size() > 1;
    // minimal and deepfool side by side: the level column names the attack too
    boolean attacks = rows.stream().map(CaseGrid.Row::perturbation).distinct().count() > 1;
    out.append("### Minimal perturbation\n\n");
    out.append(levels ? "| Model | Level |" : "| Model |")
        .append(
            MARKDOWN_DISTANCES.stream()
                .map(d -> " " + d.label().replace("|", "\\|") + " |")
                .collect(Collectors.joining()))
        .append(" ")
        .append(Metric.FOOLED.label())
        .append(" | never ")
        .append(Metric.FOOLED.label())
        .append(" |\n");
    out.append(levels ? "|---|---|" : "|---|").append("--:|--:|--:|--:|--:|\n");
    for (CaseGrid.Row row : rows) {
      for (String model : r.grid().models()) {
        CaseResult c = r.grid().cell(row, model);
        if (c == null) {
          continue;
        }
        String level =
            attacks ? (row.perturbation() + " " + row.levelLabel()).strip() : row.levelLabel();
        out.append("| ")
            .append(cellText(model))
            .append(levels ? " | " + cellText(level) : "")
            .append(" | ");
        if (!CaseGrid.ok(c)) {
          out.append("failed | | | | |\n");
          continue;
        }
        Metrics m = c.metrics();
        Double fooled = Metric.FOOLED.value(m).orElse(null);
        for (Metric d : MARKDOWN_DISTANCES) {
          out.append(Fmt.fixed(d.value(m).orElseThrow(), d.decimals())).append(" | ");
        }
        out.append(fooled == null ? "\u2014" : Fmt.pct(100 * fooled) + "%")
            .append(" | ")
            .append(
                fooled == null ? "\u2014" : Long.toString(Math.round((1 - fooled) * m.images())))
            .append(" |\n");
      }
    }
    out.append('\n');
  }

  private static void checks(StringBuilder out, ReportContext r) {
    if (r.result().checks().isEmpty()) {
      return;
    }
    out.append("### Checks\n\n|  | Check | Detail |\n|---|---|---|\n");
    for (CheckResult c : r.result().checks()) {
      out.append("| ")
          .append(c.passed() ? "\u2705" : "\u274c")
          .append(" | ")
          .append(cellText(c.expression()))
          .append(" | ")
          .append(cellText(c.detail()))
          .append(" |\n");
    }
    out.append('\n');
  }

  private static void footer(StringBuilder out, ReportContext r) {
    RunResult result = r.result();
    EnvironmentInfo env = result.environment();
    List<String> parts = new ArrayList<>();
    if (result.suite() != null) {
      parts.add("seed " + result.suite().seed());
      if (result.suite().limit() != null) {
        parts.add("limit " + result.suite().limit());
      }
    }
    if (env != null) {
      parts.add("commit " + esc(env.gitCommit() == null ? "unknown" : env.gitCommit()));
    }
    parts.add("wall " + Fmt.duration(result.wallSeconds()));
    if (env != null) {
      parts.add(
          "qrbench "
              + esc(env.qrbenchVersion())
              + ", DJL "
              + esc(env.djlVersion())
              + ", "
              + esc(env.engine())
              + " "
              + esc(env.engineVersion()));
    }
    out.append("---\n<sub>").append(String.join(" \u00b7 ", parts)).append("</sub>\n");
  }
}
