package io.qrbench.check;

import io.qrbench.registry.Suggestions;
import io.qrbench.result.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A reference split into its parts: {@code FP.gaussian-c[severity=3].top1} is model {@code FP},
 * perturbation {@code gaussian-c}, level {@code severity=3}, metric {@code top1}.
 *
 * @param model a suite model's name
 * @param perturbation a perturbation's display name as written ({@code clean} stays {@code clean})
 * @param level the level as written inside the brackets, empty without brackets
 * @param metric the metric's name as written
 */
public record MetricRef(String model, String perturbation, String level, String metric) {

  /** The metrics every case has, by normalised name (lower case, no '-' or '_'). */
  static final Map<String, ToDoubleFunction<Metrics>> METRICS = new LinkedHashMap<>();

  static {
    METRICS.put("top1", Metrics::top1);
    METRICS.put("top5", Metrics::top5);
    METRICS.put("images", Metrics::images);
    METRICS.put("correct1", Metrics::correct1);
    METRICS.put("correct5", Metrics::correct5);
    METRICS.put("meanabs", Metrics::meanAbs);
    METRICS.put("meanabs255", Metrics::meanAbs255);
    METRICS.put("meanl2", Metrics::meanL2);
    METRICS.put("meanlinf", Metrics::meanLinf);
    METRICS.put("seconds", Metrics::seconds);
    METRICS.put("imagespersecond", Metrics::imagesPerSecond);
  }

  /** Metric names as users write them, for messages. */
  static final List<String> METRIC_NAMES = List.of("top1", "top5", "images", "correct1", "correct5", "mean-abs",
      "mean-abs-255", "mean-l2", "mean-linf", "seconds", "images-per-second", "fooled (minimal)");

  /**
   * Splits a reference against the suite's model names (which may themselves contain dots).
   *
   * @return the parts, or empty when no model name is a prefix
   * @throws IllegalArgumentException with the fix, when the reference is malformed
   */
  static MetricRef split(Expr.Ref ref, List<String> modelNames) {
    String t = ref.text();
    String model = modelNames.stream().filter(m -> t.startsWith(m + "."))
        .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
    if (model == null) {
      String first = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
      throw new IllegalArgumentException("'" + t + "' does not start with a model name"
          + Suggestions.closest(first, modelNames).map(s -> " (did you mean '" + s + "'?)").orElse("")
          + "; write MODEL.CASE.METRIC with MODEL one of: " + String.join(", ", modelNames));
    }
    String rest = t.substring(model.length() + 1);
    int bracket = rest.indexOf('[');
    int lastDot = rest.lastIndexOf('.');
    if (lastDot <= 0 || (bracket >= 0 && lastDot < rest.lastIndexOf(']'))) {
      throw new IllegalArgumentException("'" + t + "' names no metric; write MODEL.CASE.METRIC, e.g. "
          + model + ".clean.top1");
    }
    String metric = rest.substring(lastDot + 1);
    String caseText = rest.substring(0, lastDot);
    String perturbation = caseText;
    String level = "";
    int b = caseText.indexOf('[');
    if (b >= 0) {
      if (!caseText.endsWith("]")) {
        throw new IllegalArgumentException("'" + t + "': the level in brackets must end the case name");
      }
      perturbation = caseText.substring(0, b);
      level = caseText.substring(b + 1, caseText.length() - 1).trim();
    }
    if (!knownMetric(metric)) {
      throw new IllegalArgumentException("'" + t + "': unknown metric '" + metric + "'"
          + Suggestions.closest(metric, METRIC_NAMES).map(s -> " (did you mean '" + s + "'?)").orElse("")
          + "; known: " + String.join(", ", METRIC_NAMES));
    }
    return new MetricRef(model, perturbation, level, metric);
  }

  static boolean knownMetric(String metric) {
    String n = normalise(metric);
    return METRICS.containsKey(n) || n.equals("fooled");
  }

  static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /** This metric's value in {@code m}: a standard metric, or one the perturbation recorded. */
  Optional<Double> value(Metrics m) {
    String n = normalise(metric);
    ToDoubleFunction<Metrics> f = METRICS.get(n);
    if (f != null) {
      return Optional.of(f.applyAsDouble(m));
    }
    return m.extra().entrySet().stream().filter(e -> normalise(e.getKey()).equals(n))
        .map(Map.Entry::getValue).findFirst();
  }

  /** Whether a written level names a case's level label: the same keys and values, numbers compared as numbers. */
  static boolean sameLevel(String written, String label) {
    Map<String, String> a = pairs(written);
    Map<String, String> b = pairs(label);
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, String> e : a.entrySet()) {
      String x = e.getValue();
      String y = b.get(e.getKey());
      if (!x.equals(y)) {
        try {
          if (Double.parseDouble(x) != Double.parseDouble(y)) {
            return false;
          }
        } catch (NumberFormatException ex) {
          return false;
        }
      }
    }
    return true;
  }

  private static Map<String, String> pairs(String level) {
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
