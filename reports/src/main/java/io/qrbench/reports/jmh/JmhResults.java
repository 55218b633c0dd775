package io.qrbench.reports.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qrbench.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JMH result file ({@code -rf json}) and formats it as a table, one row per benchmark and
 * parameter combination (and per secondary metric, as JMH prints them), with a column per
 * {@code @Param}. For {@code qrbench report} and the benchmarks' README.
 */
public final class JmhResults {
  private static final ObjectMapper JSON = io.qrbench.io.JsonMappers.data();

  private JmhResults() {}

  /**
   * One benchmark at one set of parameters.
   *
   * @param benchmark the benchmark method's full name, e.g. {@code
   *     io.qrbench.benchmarks.ForwardBench.forward}, with {@code :counter} appended for a secondary
   *     metric
   * @param mode JMH's mode: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
   * @param params the {@code @Param} values, in the order JMH wrote them
   * @param score the primary metric
   * @param scoreError its 99.9% confidence half-width, NaN when JMH had too few iterations for one
   * @param unit the score's unit, e.g. {@code ops/s} or {@code ms/op}
   */
  public record Row(
      String benchmark,
      String mode,
      Map<String, String> params,
      double score,
      double scoreError,
      String unit) {
    public Row {
      params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The benchmark's class and method, e.g. {@code ForwardBench.forward}. */
    public String shortName() {
      int method = benchmark.lastIndexOf('.');
      int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
      return benchmark.substring(type + 1);
    }
  }

  /**
   * Reads a JMH JSON result file.
   *
   * @throws ConfigException naming the file and what is wrong with it
   */
  public static List<Row> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          file
              + ": not a readable JMH result file: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + "; write one with '-rf json -rff FILE'",
          e);
    }
    if (root == null || !root.isArray()) {
      throw new ConfigException(
          file
              + ": a JMH JSON result is a list of benchmarks; write one with '-rf json -rff FILE'");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      rows.addAll(rows(file, i, root.get(i)));
    }
    return rows;
  }

  /**
   * The primary metric, then each secondary one (an {@code @AuxCounters} field) as JMH lists them.
   */
  private static List<Row> rows(Path file, int i, JsonNode n) {
    JsonNode metric = n.path("primaryMetric");
    if (!n.path("benchmark").isTextual() || !metric.isObject()) {
      throw new ConfigException(
          file
              + ": entry "
              + i
              + " has no 'benchmark' name or no 'primaryMetric'; is it JMH's JSON output?");
    }
    String name = n.get("benchmark").asText();
    String mode = n.path("mode").asText("");
    Map<String, String> params = new LinkedHashMap<>();
    n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    List<Row> rows = new ArrayList<>(List.of(row(name, mode, params, metric)));
    n.path("secondaryMetrics")
        .fields()
        .forEachRemaining(e -> rows.add(row(name + ":" + e.getKey(), mode, params, e.getValue())));
    return rows;
  }

  private static Row row(String name, String mode, Map<String, String> params, JsonNode metric) {
    return new Row(
        name,
        mode,
        params,
        number(metric.path("score")),
        number(metric.path("scoreError")),
        metric.path("scoreUnit").asText(""));
  }

  /** JMH writes a missing error as the string "NaN". */
  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    try {
      return Double.parseDouble(n.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** An aligned plain-text table, like JMH's own summary. */
  public static String toText(List<Row> rows) {
    List<List<String>> cells = cells(rows);
    int[] width = new int[cells.get(0).size()];
    for (List<String> line : cells) {
      for (int c = 0; c < line.size(); c++) {
        width[c] = Math.max(width[c], line.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> line : cells) {
      StringBuilder l = new StringBuilder();
      for (int c = 0; c < line.size(); c++) {
        String v = line.get(c);
        String pad = " ".repeat(width[c] - v.length());
        // names and units read from the left, numbers line up on the right
        l.append(c == 0 || c == line.size() - 1 ? v + pad : pad + v)
            .append(c == line.size() - 1 ? "" : "  ");
      }
      sb.append(l.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** A GitHub-flavoured Markdown table; parameters and numbers are right-aligned. */
  public static String toMarkdown(List<Row> rows) {
    List<List<String>> cells = cells(rows);
    StringBuilder sb = new StringBuilder();
    List<String> head = cells.get(0);
    sb.append("| ").append(String.join(" | ", head)).append(" |\n|");
    for (int c = 0; c < head.size(); c++) {
      sb.append(c <= 1 || c == head.size() - 1 ? " --- |" : " ---: |");
    }
    sb.append('\n');
    for (List<String> line : cells.subList(1, cells.size())) {
      sb.append("| ")
          .append(String.join(" | ", line.stream().map(JmhResults::escape).toList()))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** Header then one line per row: benchmark, mode, each parameter, score, error, unit. */
  private static List<List<String>> cells(List<Row> rows) {
    Set<String> params = new LinkedHashSet<>();
    rows.forEach(r -> params.addAll(r.params().keySet()));
    List<List<String>> out = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("Benchmark", "Mode"));
    head.addAll(params);
    head.addAll(List.of("Score", "Error", "Units"));
    out.add(head);
    for (Row r : rows) {
      List<String> line = new ArrayList<>(List.of(r.shortName(), r.mode()));
      params.forEach(p -> line.add(r.params().getOrDefault(p, "")));
      line.add(format(r.score()));
      line.add(Double.isNaN(r.scoreError()) ? "" : "± " + format(r.scoreError()));
      line.add(r.unit());
      out.add(line);
    }
    return out;
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
