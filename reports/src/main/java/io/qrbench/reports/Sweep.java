package io.qrbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A perturbation whose levels sweep a single numeric key, the x axis of an accuracy curve.
 *
 * @param perturbation its display name
 * @param key the swept key, e.g. {@code severity} or {@code epsilon}
 * @param points its rows with their x values, ascending in x
 */
record Sweep(String perturbation, String key, List<Point> points) {
  Sweep {
    points = List.copyOf(points);
  }

  /** One level of the sweep. */
  record Point(double x, CaseGrid.Row row) {
    /** The swept value as the level holds it, for display. */
    String text() {
      return String.valueOf(row.level().values().values().iterator().next());
    }
  }

  /** True for the CIFAR-10-C style severity scale, which gets its own group of charts. */
  boolean bySeverity() {
    return key.equals("severity");
  }

  /** The sweep of {@code rows} (one perturbation), if its levels sweep one numeric key. */
  static Optional<Sweep> of(String perturbation, List<CaseGrid.Row> rows) {
    String key = null;
    List<Point> points = new ArrayList<>();
    for (CaseGrid.Row row : rows) {
      Map<String, Object> level = row.level().values();
      if (level.size() != 1) {
        return Optional.empty();
      }
      String k = level.keySet().iterator().next();
      if (key != null && !key.equals(k)) {
        return Optional.empty();
      }
      key = k;
      Optional<Double> x = row.level().number(k);
      if (x.isEmpty()) {
        return Optional.empty();
      }
      points.add(new Point(x.get(), row));
    }
    if (points.stream().map(Point::x).distinct().count() < 2) {
      return Optional.empty();
    }
    points.sort(Comparator.comparingDouble(Point::x));
    return Optional.of(new Sweep(perturbation, key, points));
  }
}
