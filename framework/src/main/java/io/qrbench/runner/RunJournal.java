package io.qrbench.runner;

import io.qrbench.result.CaseResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.ModelResult;
import io.qrbench.result.ResultsJson;
import io.qrbench.result.RunResult;
import io.qrbench.result.SpeedResult;
import io.qrbench.result.SuiteInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run has finished so far, saved to {@code results.json} atomically after every change, so
 * an interrupted run keeps all it finished. Models and cases are listed in suite order.
 */
final class RunJournal {
  private final Path file;
  private final SuiteInfo suite;
  private final EnvironmentInfo environment;
  private final String startedAt;
  private final double priorSeconds;
  private final long t0 = System.nanoTime();
  private final List<String> modelOrder;
  private final List<String> caseOrder;
  private final Map<String, ModelResult> models = new LinkedHashMap<>();
  private final Map<String, CaseResult> cases = new LinkedHashMap<>();
  private final Map<String, List<SpeedResult>> speed = new LinkedHashMap<>();

  /**
   * @param previous the results of an interrupted attempt being resumed, or null: its models and
   *     its successful cases and its speed measurements are kept, and its wall time is carried over
   */
  RunJournal(Path file, SuiteInfo suite, EnvironmentInfo environment, List<String> modelOrder,
      List<String> caseOrder, RunResult previous) {
    this.file = file;
    this.suite = suite;
    this.environment = environment;
    this.modelOrder = List.copyOf(modelOrder);
    this.caseOrder = List.copyOf(caseOrder);
    this.startedAt = previous != null ? previous.startedAt() : Instant.now().toString();
    this.priorSeconds = previous != null ? previous.wallSeconds() : 0;
    if (previous != null) {
      previous.models().forEach(m -> models.put(m.name(), m));
      previous.cases().stream().filter(CaseResult::ok).filter(c -> caseOrder.contains(c.id()))
          .forEach(c -> cases.put(c.id(), c));
      previous.speed().forEach(s -> speed.computeIfAbsent(s.model(), m -> new java.util.ArrayList<>()).add(s));
    }
  }

  boolean finished(String caseId) {
    return cases.containsKey(caseId);
  }

  int finishedCount() {
    return cases.size();
  }

  ModelResult model(String name) {
    return models.get(name);
  }

  void put(ModelResult model) {
    models.put(model.name(), model);
    save(snapshot("running", null));
  }

  void put(CaseResult result) {
    cases.put(result.id(), result);
    save(snapshot("running", null));
  }

  /** True when {@code model}'s speed at {@code batchSize} was measured (in this attempt or one resumed). */
  boolean speedMeasured(String model, int batchSize) {
    return speed.getOrDefault(model, List.of()).stream().anyMatch(s -> s.batchSize() == batchSize);
  }

  /** Keeps one speed measurement; a model's measurements stay in the order they were taken. */
  void put(SpeedResult result) {
    speed.computeIfAbsent(result.model(), m -> new java.util.ArrayList<>()).add(result);
    save(snapshot("running", null));
  }

  /** Marks the run finished, saves it and returns it. */
  RunResult finish() {
    boolean ok = cases.values().stream().allMatch(CaseResult::ok);
    RunResult r = snapshot(ok ? "complete" : "failed", Instant.now().toString());
    save(r);
    return r;
  }

  private RunResult snapshot(String status, String finishedAt) {
    return new RunResult(RunResult.SCHEMA, suite, environment, status, startedAt, finishedAt,
        priorSeconds + (System.nanoTime() - t0) / 1e9,
        modelOrder.stream().map(models::get).filter(Objects::nonNull).toList(),
        caseOrder.stream().map(cases::get).filter(Objects::nonNull).toList(), List.of(),
        modelOrder.stream().filter(speed::containsKey).flatMap(m -> speed.get(m).stream()).toList());
  }

  private void save(RunResult r) {
    try {
      ResultsJson.write(r, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
