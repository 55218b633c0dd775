package io.qrbench.reports;

import io.qrbench.result.RunResult;

/**
 * A single self-contained {@code index.html}: summary, summary scores (mCE, AUC), the study table,
 * accuracy curves with 95% bands, the minimal-perturbation table, per-class accuracy and confusion
 * matrices, example images, gradient-masking diagnostics, model costs with per-layer quantization,
 * speed, checks, paired comparisons and the manifest.
 *
 * <p>CSS and script are inlined and nothing is fetched, so the file works from {@code file://}, in
 * a CI artifact or an e-mail. Charts are SVG written by this code rather than drawn by a charting
 * library: no dependency to ship or audit, the same results give the same bytes (reports can be
 * diffed and tested), vectors print sharply, and every label goes through the one escaper in {@link
 * Html}, so a hostile suite or model name stays text.
 *
 * <p>The page's ids and classes are a contract that browser tests rely on: sections {@code summary,
 * scores, study, curves, minimal, classes, examples, diagnostics, models, speed, checks,
 * comparisons, manifest}; {@code h1#suite-name}; {@code table#study-table
 * tr.case-row[data-case="perturbation|level"]}; {@code svg.chart[data-chart]} with one {@code path}
 * per model; {@code tr.check-pass / tr.check-fail}; {@code tr.comparison-row}, with class {@code
 * significant} when McNemar's p is below 0.05; {@code div.diagnostics-model[data-model]
 * li.diagnostic} with class {@code flag}, {@code pass} or {@code unchecked} and {@code data-check}.
 */
public final class HtmlReportWriter extends TextFileReportWriter {
  /** The file written inside the output folder. */
  public static final String FILE = "index.html";

  public HtmlReportWriter() {
    super(FILE, (result, folder) -> render(result, folder));
  }

  @Override
  public String id() {
    return "html";
  }

  @Override
  public String description() {
    return "one self-contained HTML page: study table, accuracy curves, paired significance tests, costs, manifest";
  }

  /** The page's text, paths as the results hold them. */
  static String render(RunResult result) {
    return render(result, null);
  }

  /** The page's text for a page in {@code folder}: absolute paths are shown relative to it. */
  static String render(RunResult result, java.nio.file.Path folder) {
    return HtmlPage.render(ReportContext.of(result, folder));
  }
}
