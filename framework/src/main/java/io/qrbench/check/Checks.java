package io.qrbench.check;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CheckResult;
import io.qrbench.result.Level;
import io.qrbench.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Validates checks against a suite's names and evaluates them on a run's results. */
public final class Checks {
  private Checks() {}

  /**
   * What is wrong with {@code check}'s references, given the suite's models and, per perturbation
   * name, its levels ({@code [Level.NONE]} when it sweeps nothing); empty when it is sound.
   */
  public static List<String> problems(
      Check check, List<String> modelNames, Map<String, List<Level>> levels) {
    List<String> problems = new ArrayList<>();
    for (Expr.Ref ref : check.references()) {
      try {
        MetricRef r = MetricRef.split(ref, modelNames);
        String p = perturbationName(r.perturbation(), levels.keySet());
        List<Level> labels = levels.get(p);
        if (labels == null) {
          problems.add(
              "'"
                  + ref.text()
                  + "': no perturbation is named '"
                  + r.perturbation()
                  + "'"
                  + io.qrbench.registry.Suggestions.closest(
                          r.perturbation(), List.copyOf(levels.keySet()))
                      .map(s -> " (did you mean '" + s + "'?)")
                      .orElse("")
                  + "; known: "
                  + String.join(", ", levels.keySet())
                  + (levels.containsKey("none") ? " (none is also 'clean')" : ""));
          continue;
        }
        boolean swept = !(labels.size() == 1 && labels.get(0).isEmpty());
        if (swept && r.level().isEmpty()) {
          problems.add(
              "'"
                  + ref.text()
                  + "': '"
                  + p
                  + "' has levels; name one in brackets, e.g. "
                  + r.model()
                  + "."
                  + r.perturbation()
                  + "["
                  + labels.get(0).label()
                  + "]."
                  + r.metric());
        } else if (!swept && !r.level().isEmpty()) {
          problems.add(
              "'" + ref.text() + "': '" + p + "' sweeps nothing; drop the '[" + r.level() + "]'");
        } else if (swept && labels.stream().noneMatch(r::names)) {
          problems.add(
              "'"
                  + ref.text()
                  + "': '"
                  + p
                  + "' has no level '"
                  + r.level()
                  + "'; its levels: "
                  + String.join("; ", labels.stream().map(Level::label).toList()));
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Evaluates each check on {@code result}; a reference to a failed or missing case fails its
   * check.
   */
  public static List<CheckResult> evaluate(List<Check> checks, RunResult result) {
    List<String> models = result.models().stream().map(m -> m.name()).toList();
    List<String> names = result.cases().stream().map(CaseResult::perturbation).distinct().toList();
    List<CheckResult> out = new ArrayList<>();
    for (Check check : checks) {
      try {
        StringBuilder values = new StringBuilder();
        java.util.function.ToDoubleFunction<Expr.Ref> lookup =
            ref -> {
              double v = lookup(ref, models, names, result);
              values
                  .append(values.length() == 0 ? "" : ", ")
                  .append(ref.text())
                  .append(" = ")
                  .append(Check.number(v));
              return v;
            };
        double l = check.left().value(lookup);
        double r = check.right().value(lookup);
        boolean ok = check.holds(l, r);
        String detail =
            Check.number(l)
                + " "
                + check.comparison()
                + " "
                + Check.number(r)
                + (ok ? " holds" : " does not hold")
                + (values.length() > 0 ? " (" + values + ")" : "");
        out.add(new CheckResult(check.text(), ok, l, r, detail));
      } catch (IllegalArgumentException e) {
        out.add(new CheckResult(check.text(), false, null, null, e.getMessage()));
      }
    }
    return out;
  }

  private static double lookup(
      Expr.Ref ref, List<String> models, List<String> names, RunResult result) {
    MetricRef r = MetricRef.split(ref, models);
    String p = perturbationName(r.perturbation(), names);
    Optional<CaseResult> c =
        result.cases().stream()
            .filter(
                x ->
                    x.model().equals(r.model())
                        && x.perturbation().equals(p)
                        && (r.level().isEmpty() ? x.level().isEmpty() : r.names(x.level())))
            .findFirst();
    if (c.isEmpty()) {
      throw new IllegalArgumentException("'" + ref.text() + "': the run has no such case");
    }
    if (!c.get().ok() || c.get().metrics() == null) {
      throw new IllegalArgumentException(
          "'" + ref.text() + "': case " + c.get().id() + " failed: " + c.get().error());
    }
    return r.value(c.get().metrics())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + ref.text()
                        + "': case "
                        + c.get().id()
                        + " recorded no metric '"
                        + r.metric()
                        + "'"));
  }

  /**
   * {@code clean} means the {@code none} perturbation unless a perturbation is itself named clean.
   */
  private static String perturbationName(String written, java.util.Collection<String> names) {
    return written.equals("clean") && !names.contains("clean") ? "none" : written;
  }
}
