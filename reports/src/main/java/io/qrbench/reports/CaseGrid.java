package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Level;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's cases as the grid a reader thinks in: one row per perturbation and level (in run order),
 * one column per model (in suite order). Every report writer reads results through it.
 */
final class CaseGrid {

  /** One perturbation at one level. */
  record Row(String perturbation, String perturbationId, Level level) {
    /** The row's key in the page: {@code perturbation|level}. */
    String key() {
      return perturbation + "|" + level.label();
    }

    /** The level for display, epsilons in k/255 where they are so; empty when nothing is swept. */
    String levelLabel() {
      return Fmt.level(level);
    }
  }

  private final List<String> models;
  private final List<Row> rows;
  private final Map<Row, Map<String, CaseResult>> cells;

  private CaseGrid(List<String> models, List<Row> rows, Map<Row, Map<String, CaseResult>> cells) {
    this.models = List.copyOf(models);
    this.rows = List.copyOf(rows);
    this.cells = cells;
  }

  static CaseGrid of(RunResult result) {
    Set<String> models = new LinkedHashSet<>();
    result.models().stream().map(ModelResult::name).forEach(models::add);
    Map<Row, Map<String, CaseResult>> cells = new LinkedHashMap<>();
    for (CaseResult c : result.cases()) {
      models.add(c.model()); // a case of a model missing from the list still shows
      Row row = new Row(c.perturbation(), c.perturbationId(), c.level());
      cells.computeIfAbsent(row, r -> new HashMap<>()).putIfAbsent(c.model(), c);
    }
    return new CaseGrid(new ArrayList<>(models), new ArrayList<>(cells.keySet()), cells);
  }

  List<String> models() {
    return models;
  }

  List<Row> rows() {
    return rows;
  }

  /** The model's index in suite order, which picks its colour everywhere. */
  int colour(String model) {
    return Math.max(0, models.indexOf(model)) % 8;
  }

  /** The case of {@code model} in {@code row}, or null when it did not run. */
  CaseResult cell(Row row, String model) {
    return cells.getOrDefault(row, Map.of()).get(model);
  }

  /** The first row without perturbation (id {@code none}), or null. */
  Row clean() {
    return rows.stream().filter(r -> "none".equals(r.perturbationId())).findFirst().orElse(null);
  }

  /** The rows of the minimal-perturbation attacks: {@code minimal} and {@code deepfool}. */
  List<Row> minimalRows() {
    return rows.stream().filter(CaseGrid::isMinimal).toList();
  }

  /**
   * True for a minimal-perturbation attack ({@code minimal}, {@code deepfool}): it searches for the
   * smallest change that fools each image, so its accuracy is about 0 by construction and says
   * nothing; its size does.
   */
  static boolean isMinimal(Row row) {
    return "minimal".equals(row.perturbationId()) || "deepfool".equals(row.perturbationId());
  }

  /** Rows grouped by perturbation name, groups in run order. */
  Map<String, List<Row>> byPerturbation() {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(r.perturbation(), k -> new ArrayList<>()).add(r));
    return groups;
  }

  /** Perturbations whose levels sweep one numeric key over two or more values, in run order. */
  List<Sweep> sweeps() {
    List<Sweep> sweeps = new ArrayList<>();
    byPerturbation()
        .forEach(
            (name, group) ->
                Sweep.of(name, group.stream().filter(r -> !isMinimal(r)).toList())
                    .ifPresent(sweeps::add));
    return sweeps;
  }

  /** True when the case finished and has metrics. */
  static boolean ok(CaseResult c) {
    return c != null && c.ok() && c.metrics() != null;
  }
}
