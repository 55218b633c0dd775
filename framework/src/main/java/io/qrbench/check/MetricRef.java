package io.qrbench.check;

import io.qrbench.registry.Suggestions;
import io.qrbench.result.Level;
import io.qrbench.result.Metric;
import io.qrbench.result.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reference split into its parts: {@code FP.gaussian-c[severity=3].top1} is model {@code FP},
 * perturbation {@code gaussian-c}, level {@code severity=3}, metric {@code top1}.
 *
 * @param model a suite model's name
 * @param perturbation a perturbation's display name as written ({@code clean} stays {@code clean})
 * @param level the level as written inside the brackets, empty without brackets
 * @param metric the metric's name as written
 */
record MetricRef(String model, String perturbation, String level, String metric) {

  /**
   * Splits a reference against the suite's model names (which may themselves contain dots).
   *
   * @return the parts, or empty when no model name is a prefix
   * @throws IllegalArgumentException with the fix, when the reference is malformed
   */
  static MetricRef split(Expr.Ref ref, List<String> modelNames) {
    String t = ref.text();
    String model =
        modelNames.stream()
            .filter(m -> t.startsWith(m + "."))
            .max(java.util.Comparator.comparingInt(String::length))
            .orElse(null);
    if (model == null) {
      String first = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
      throw new IllegalArgumentException(
          "'"
              + t
              + "' does not start with a model name"
              + Suggestions.closest(first, modelNames)
                  .map(s -> " (did you mean '" + s + "'?)")
                  .orElse("")
              + "; write MODEL.CASE.METRIC with MODEL one of: "
              + String.join(", ", modelNames));
    }
    String rest = t.substring(model.length() + 1);
    int bracket = rest.indexOf('[');
    int lastDot = rest.lastIndexOf('.');
    if (lastDot <= 0 || (bracket >= 0 && lastDot < rest.lastIndexOf(']'))) {
      throw new IllegalArgumentException(
          "'" + t + "' names no metric; write MODEL.CASE.METRIC, e.g. " + model + ".clean.top1");
    }
    String metric = rest.substring(lastDot + 1);
    String caseText = rest.substring(0, lastDot);
    String perturbation = caseText;
    String level = "";
    int b = caseText.indexOf('[');
    if (b >= 0) {
      if (!caseText.endsWith("]")) {
        throw new IllegalArgumentException(
            "'" + t + "': the level in brackets must end the case name");
      }
      perturbation = caseText.substring(0, b);
      level = caseText.substring(b + 1, caseText.length() - 1).trim();
    }
    if (Metric.named(metric).isEmpty()) {
      List<String> ids = java.util.Arrays.stream(Metric.values()).map(Metric::id).toList();
      throw new IllegalArgumentException(
          "'"
              + t
              + "': unknown metric '"
              + metric
              + "'"
              + Suggestions.closest(metric, ids).map(s -> " (did you mean '" + s + "'?)").orElse("")
              + "; known: "
              + Metric.ids());
    }
    return new MetricRef(model, perturbation, level, metric);
  }

  /**
   * This metric's value in {@code m}; empty when the case did not record it (an extra of another
   * perturbation).
   */
  Optional<Double> value(Metrics m) {
    return Metric.named(metric).flatMap(x -> x.value(m));
  }

  /**
   * Whether the level written in brackets names {@code level}: the same keys, and the same values,
   * numbers compared as numbers ({@code severity=3} names {@code severity: 3.0}).
   */
  boolean names(Level level) {
    return level.matches(written(this.level));
  }

  /**
   * The written level's {@code key=value} pairs, as the user wrote them ({@code ,} between pairs).
   */
  private static Map<String, String> written(String level) {
    Map<String, String> m = new LinkedHashMap<>();
    if (level.isBlank()) {
      return m;
    }
    for (String part : level.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        m.put(part.trim(), "");
      } else {
        m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return m;
  }
}
