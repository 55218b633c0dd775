package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Metric;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.SpeedMetric;
import io.qrbench.result.SpeedResult;
import java.util.List;
import java.util.Map;

/**
 * {@code results.csv}: one row per case and metric ({@code
 * case,model,perturbation,level,metric,value}), the long format that pandas, R and spreadsheets
 * pivot without help. RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line
 * break. Numbers carry full precision (the shortest decimal that reads back as the same double),
 * never E notation or a locale's separators. A failed case has one {@code status} row holding its
 * error; speed measurements follow the cases as {@code speed/<model>/batch=<n>}. A text cell a
 * spreadsheet would take for a formula (starting with {@code = + - @}, a tab or a line break) is
 * prefixed with a single quote and quoted, as OWASP advises against CSV injection; numbers are
 * written as they are, negative ones too.
 */
public final class CsvReportWriter extends TextFileReportWriter {
  /** The file written inside the output folder. */
  public static final String FILE = "results.csv";

  public CsvReportWriter() {
    super(FILE, CsvReportWriter::render);
  }

  static final List<String> HEADER =
      List.of("case", "model", "backend", "perturbation", "level", "metric", "value");

  @Override
  public String id() {
    return "csv";
  }

  @Override
  public String description() {
    return "results as long-format CSV, one row per case and metric (RFC 4180)";
  }

  static String render(RunResult result) {
    StringBuilder out = new StringBuilder(1 << 16);
    line(out, HEADER.stream().map(CsvReportWriter::text).toList());
    Map<String, String> backends = backends(result);
    for (CaseResult c : result.cases()) {
      String backend = backends.getOrDefault(c.model(), "");
      if (!c.ok() || c.metrics() == null) {
        row(out, c, backend, "status", text(c.error() == null ? Fmt.or(c.status()) : c.error()));
        continue;
      }
      Metrics m = c.metrics();
      for (Metric metric : Metric.standard()) {
        row(out, c, backend, metric.key(), Fmt.exact(metric.value(m).orElseThrow()));
      }
      // the perturbation's own measurements (the minimal attack's fooled) under the names it gave
      // them
      for (Map.Entry<String, Double> e : m.extra().entrySet()) {
        row(out, c, backend, e.getKey(), e.getValue() == null ? "" : Fmt.exact(e.getValue()));
      }
    }
    for (SpeedResult s : result.speed()) {
      speed(out, s, backends.getOrDefault(s.model(), ""));
    }
    return out.toString();
  }

  /**
   * Each model's backend ({@code pytorch fp32}, {@code onnxruntime int8}), by name; a model of
   * results older than the backend's recording has none, and an empty cell.
   */
  static Map<String, String> backends(RunResult result) {
    Map<String, String> out = new java.util.HashMap<>();
    for (io.qrbench.result.ModelResult m : result.models()) {
      if (m.backend() != null) {
        out.put(m.name(), m.backend());
      }
    }
    return out;
  }

  private static void speed(StringBuilder out, SpeedResult s, String backend) {
    String id = "speed/" + s.model() + "/batch=" + s.batchSize();
    String level = "batch=" + s.batchSize();
    for (SpeedMetric m : SpeedMetric.values()) {
      line(
          out,
          List.of(
              text(id),
              text(s.model()),
              text(backend),
              "",
              text(level),
              text(m.key()),
              Fmt.exact(m.value(s))));
    }
  }

  /** One row; {@code value} is already a cell: a number, or {@link #text} of one. */
  private static void row(
      StringBuilder out, CaseResult c, String backend, String metric, String value) {
    line(
        out,
        List.of(
            text(c.id()),
            text(c.model()),
            text(backend),
            text(c.perturbation()),
            text(c.level().label()),
            text(metric),
            value));
  }

  /** Cells, already quoted where they need it, as one CRLF-terminated record. */
  private static void line(StringBuilder out, List<String> cells) {
    out.append(String.join(",", cells)).append("\r\n");
  }

  /**
   * A text cell: quoted as RFC 4180 needs, and one a spreadsheet would evaluate as a formula
   * prefixed with a single quote and always quoted (OWASP, CSV injection).
   */
  static String text(String field) {
    if (field == null || field.isEmpty()) {
      return "";
    }
    char c = field.charAt(0);
    if ("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20".indexOf(c) >= 0) {
      return '"' + ("'" + field).replace("\"", "\"\"") + '"';
    }
    return quote(field);
  }

  /** RFC 4180: quote a field holding a comma, a quote or a line break, doubling its quotes. */
  static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
