package io.qrbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A perturbation whose levels sweep a single numeric key, the x axis of an accuracy curve.
 *
 * @param perturbation its display name
 * @param key the swept key, e.g. {@code severity} or {@code epsilon}
 * @param points its rows with their x values, ascending in x
 */
record Sweep(String perturbation, String key, List<Point> points) {
  /** A level label joins {@code key=value} pairs with ", "; split only before the next key. */
  private static final Pattern PAIRS = Pattern.compile(", (?=[A-Za-z0-9_.@-]+=)");

  Sweep {
    points = List.copyOf(points);
  }

  /** One level of the sweep. */
  record Point(double x, CaseGrid.Row row) {}

  /** True for the CIFAR-10-C style severity scale, which gets its own group of charts. */
  boolean bySeverity() {
    return key.equals("severity");
  }

  /** The sweep of {@code rows} (one perturbation), if its levels sweep one numeric key. */
  static Optional<Sweep> of(String perturbation, List<CaseGrid.Row> rows) {
    String key = null;
    List<Point> points = new ArrayList<>();
    for (CaseGrid.Row row : rows) {
      Map<String, String> level = parse(row.level());
      if (level.size() != 1) {
        return Optional.empty();
      }
      Map.Entry<String, String> e = level.entrySet().iterator().next();
      if (key != null && !key.equals(e.getKey())) {
        return Optional.empty();
      }
      key = e.getKey();
      Double x = number(e.getValue());
      if (x == null) {
        return Optional.empty();
      }
      points.add(new Point(x, row));
    }
    if (points.stream().map(Point::x).distinct().count() < 2) {
      return Optional.empty();
    }
    points.sort(Comparator.comparingDouble(Point::x));
    return Optional.of(new Sweep(perturbation, key, points));
  }

  /** A level label's {@code key=value} pairs in order; empty for the empty label. */
  static Map<String, String> parse(String level) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (level == null || level.isBlank()) {
      return pairs;
    }
    for (String part : PAIRS.split(level)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        pairs.put(part, "");
      } else {
        pairs.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return pairs;
  }

  private static Double number(String s) {
    try {
      double v = Double.parseDouble(s);
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
