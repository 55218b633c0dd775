package io.qrbench.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One level of a perturbation: the values its swept keys take there, typed as the suite wrote them
 * (numbers stay numbers), so that curves, checks and reports read {@code epsilon} as a number
 * instead of parsing it back out of a label.
 *
 * @param label {@code key=value} for each swept key, comma-separated, e.g. {@code epsilon=0.03};
 *     empty when nothing is swept. It names the case ({@code FP/pgd[epsilon=0.03]}) and seeds it,
 *     so it is kept exactly as the run made it
 * @param values each swept key's value at this level, in the order the suite wrote the keys: a
 *     {@link Number}, a {@link String} or a {@link Boolean} (a list or map when the suite swept
 *     one)
 */
public record Level(String label, Map<String, Object> values) {
  /** The level of a perturbation that sweeps nothing. */
  public static final Level NONE = new Level("", Map.of());

  public Level {
    label = label == null ? "" : label;
    values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * The level of these swept values, labelled {@code key=value,key=value} as a suite's sweep is (a
   * number written as Java writes it: {@code 0.03}, {@code 3}).
   */
  public static Level of(Map<String, Object> values) {
    StringBuilder label = new StringBuilder();
    values.forEach(
        (k, v) -> label.append(label.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return new Level(label.toString(), values);
  }

  /** The level of one swept key. */
  public static Level of(String key, Object value) {
    return of(Map.of(key, value));
  }

  /** True when nothing is swept. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return values.isEmpty() && label.isEmpty();
  }

  /** The value of {@code key} when it is a finite number. */
  public Optional<Double> number(String key) {
    return values.get(key) instanceof Number n && Double.isFinite(n.doubleValue())
        ? Optional.of(n.doubleValue())
        : Optional.empty();
  }

  /**
   * Whether {@code written} (key to value as text, e.g. from a check's {@code [severity=3]}) names
   * this level: the same keys, and values equal, numbers compared as numbers ({@code 3} is {@code
   * 3.0}).
   */
  public boolean matches(Map<String, String> written) {
    if (!written.keySet().equals(values.keySet())) {
      return false;
    }
    for (Map.Entry<String, String> e : written.entrySet()) {
      Object v = values.get(e.getKey());
      String w = e.getValue().trim();
      if (v instanceof Number n) {
        try {
          if (Double.parseDouble(w) != n.doubleValue()) {
            return false;
          }
        } catch (NumberFormatException x) {
          return false;
        }
      } else if (!Objects.toString(v).equals(w)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return label;
  }
}
