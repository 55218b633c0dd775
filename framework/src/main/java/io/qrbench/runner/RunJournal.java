package io.qrbench.runner;

import io.qrbench.QrbenchException;
import io.qrbench.io.IoErrors;
import io.qrbench.result.CaseResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.Session;
import io.qrbench.result.ShardInfo;
import io.qrbench.result.SpeedResult;
import io.qrbench.result.SuiteInfo;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What a run has finished so far, saved to {@code results.json} atomically after every change, so
 * an interrupted run keeps all it finished. Models and cases are listed in suite order.
 */
final class RunJournal {
  private final Path file;
  private final SuiteInfo suite;
  private final EnvironmentInfo environment;
  private final String startedAt;
  private final List<Session> earlier;
  private final String sessionStartedAt;
  private final long sessionStart;
  private final LongSupplier clock;
  private int casesThisSession;
  private int casesSaved = -1; // unknown until this session saves
  private final List<String> modelOrder;
  private final List<String> caseOrder;
  private final Map<String, ModelResult> models = new LinkedHashMap<>();
  private final Map<String, CaseResult> cases = new LinkedHashMap<>();
  private final Map<String, List<SpeedResult>> speed = new LinkedHashMap<>();
  private ShardInfo shard; // null for a whole run; its units are kept in {@link #units}
  private final Map<String, ShardInfo.UnitResult> units = new LinkedHashMap<>();

  /**
   * @param previous the results of an interrupted attempt being resumed, or null: its models and
   *     its successful cases and its speed measurements are kept, and its sessions are carried over
   * @param sessionStart when this session began, by {@code clock}
   * @param clock nanoseconds, as {@link System#nanoTime()} gives them
   */
  RunJournal(
      Path file,
      SuiteInfo suite,
      EnvironmentInfo environment,
      List<String> modelOrder,
      List<String> caseOrder,
      RunResult previous,
      long sessionStart,
      LongSupplier clock) {
    this.file = file;
    this.suite = suite;
    this.environment = environment;
    this.modelOrder = List.copyOf(modelOrder);
    this.caseOrder = List.copyOf(caseOrder);
    this.startedAt = previous != null ? previous.startedAt() : Instant.now().toString();
    this.earlier = previous == null ? List.of() : sessions(previous);
    this.sessionStartedAt = Instant.now().toString();
    this.sessionStart = sessionStart;
    this.clock = clock;
    if (previous != null) {
      previous.models().forEach(m -> models.put(m.name(), m));
      previous.cases().stream()
          .filter(CaseResult::ok)
          .filter(c -> caseOrder.contains(c.id()))
          .forEach(c -> cases.put(c.id(), c));
      previous
          .speed()
          .forEach(s -> speed.computeIfAbsent(s.model(), m -> new java.util.ArrayList<>()).add(s));
    }
  }

  /**
   * Makes this the journal of one shard, described by {@code header} (its units aside): the
   * successful units of {@code previous}, an attempt of the same shard being resumed, are kept.
   */
  void shard(ShardInfo header, RunResult previous) {
    this.shard = header;
    if (previous != null && previous.shard() != null) {
      java.util.Set<String> planned =
          header.plan().stream()
              .filter(u -> u.shard() == header.index())
              .map(ShardInfo.UnitRef::id)
              .collect(java.util.stream.Collectors.toSet());
      previous.shard().units().stream()
          .filter(ShardInfo.UnitResult::ok)
          .filter(u -> planned.contains(u.unit().id()))
          .filter(u -> u.unit().speed() || u.partial() != null)
          .forEach(u -> units.put(u.unit().id(), u));
    }
  }

  /** True when this is the journal of one shard of a run. */
  boolean isShard() {
    return shard != null;
  }

  /** The shard's index (K), 0 for a whole run. */
  int shardIndex() {
    return shard == null ? 0 : shard.index();
  }

  /** True when the shard's unit {@code unitId} finished (in this attempt or one resumed). */
  boolean unitFinished(String unitId) {
    return units.containsKey(unitId);
  }

  /** Units finished so far, of a shard. */
  int finishedUnits() {
    return units.size();
  }

  /** Keeps one finished unit of a shard. */
  void put(ShardInfo.UnitResult unit) {
    units.put(unit.unit().id(), unit);
    casesThisSession++;
    save(snapshot(RunStatus.RUNNING, null));
  }

  /** The sessions of earlier results; one written before sessions were recorded counts as one. */
  private static List<Session> sessions(RunResult previous) {
    if (!previous.sessions().isEmpty()) {
      return previous.sessions();
    }
    return List.of(
        new Session(previous.startedAt(), previous.wallSeconds(), previous.cases().size()));
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
    save(snapshot(RunStatus.RUNNING, null));
  }

  void put(CaseResult result) {
    cases.put(result.id(), result);
    casesThisSession++;
    save(snapshot(RunStatus.RUNNING, null));
  }

  /**
   * True when {@code model}'s speed at {@code batchSize} was measured (in this attempt or one
   * resumed).
   */
  boolean speedMeasured(String model, int batchSize) {
    return speed.getOrDefault(model, List.of()).stream().anyMatch(s -> s.batchSize() == batchSize);
  }

  /** Keeps one speed measurement; a model's measurements stay in the order they were taken. */
  void put(SpeedResult result) {
    speed.computeIfAbsent(result.model(), m -> new java.util.ArrayList<>()).add(result);
    save(snapshot(RunStatus.RUNNING, null));
  }

  /** Marks the run finished, saves it and returns it. */
  RunResult finish() {
    boolean ok =
        cases.values().stream().allMatch(CaseResult::ok)
            && units.values().stream().allMatch(ShardInfo.UnitResult::ok);
    RunResult r = snapshot(ok ? RunStatus.COMPLETE : RunStatus.FAILED, Instant.now().toString());
    save(r);
    return r;
  }

  private RunResult snapshot(RunStatus status, String finishedAt) {
    List<Session> sessions = new java.util.ArrayList<>(earlier);
    sessions.add(
        new Session(sessionStartedAt, (clock.getAsLong() - sessionStart) / 1e9, casesThisSession));
    return new RunResult(
        RunResult.SCHEMA,
        suite,
        environment,
        status,
        startedAt,
        finishedAt,
        sessions.stream().mapToDouble(Session::seconds).sum(),
        modelOrder.stream().map(models::get).filter(Objects::nonNull).toList(),
        caseOrder.stream().map(cases::get).filter(Objects::nonNull).toList(),
        List.of(),
        modelOrder.stream().filter(speed::containsKey).flatMap(m -> speed.get(m).stream()).toList(),
        sessions,
        shard == null
            ? null
            : new ShardInfo(
                shard.index(),
                shard.count(),
                shard.fingerprint(),
                shard.seed(),
                shard.limit(),
                shard.version(),
                shard.commit(),
                shard.models(),
                shard.plan(),
                shard.plan().stream()
                    .map(u -> units.get(u.id()))
                    .filter(Objects::nonNull)
                    .toList()));
  }

  /**
   * Writes {@code r} to the results file.
   *
   * @throws SaveFailed when it cannot; the file then holds what was saved before, complete
   */
  void save(RunResult r) {
    try {
      ResultsJson.write(r, file);
      casesSaved = r.cases().size();
    } catch (IOException e) {
      String kept =
          !java.nio.file.Files.exists(file)
              ? "no results were saved yet"
              : file
                  + " keeps the results saved before"
                  + (casesSaved >= 0 ? " (" + casesSaved + " case(s))" : "");
      throw new SaveFailed(
          "cannot save the results: "
              + IoErrors.describe(e, file)
              + "; "
              + kept
              + "; "
              + IoErrors.fix(e)
              + "continue the run with --resume",
          e);
    }
  }

  /** The results could not be saved: the run cannot go on. */
  static final class SaveFailed extends QrbenchException {
    private static final long serialVersionUID = 1L;

    SaveFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
