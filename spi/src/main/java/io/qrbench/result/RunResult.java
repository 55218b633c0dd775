package io.qrbench.result;

import java.util.List;

/**
 * Everything a run produced: a tree of immutable values, written to {@code results.json}.
 *
 * @param schema the format's name and version, {@value #SCHEMA}
 * @param suite what was run
 * @param environment where it ran
 * @param status running while cases are being added, then complete or failed
 * @param startedAt ISO-8601 instant the run (or its first attempt) started
 * @param finishedAt ISO-8601 instant it finished, or null while running
 * @param wallSeconds seconds spent running: the sum of the sessions' seconds
 * @param models one entry per suite model
 * @param cases one entry per finished case, in run order
 * @param checks the suite's checks as evaluated at the end of the run (empty while running)
 * @param speed the suite's speed measurements (empty when it has no {@code speed:} section)
 * @param sessions the run and each resume of it, in order (empty in results written before they
 *     were recorded)
 * @param shard for one shard of a run ({@code --shard K/N}), which one and its finished units; null
 *     for a whole run (and absent from its JSON)
 */
public record RunResult(
    String schema,
    SuiteInfo suite,
    EnvironmentInfo environment,
    RunStatus status,
    String startedAt,
    String finishedAt,
    double wallSeconds,
    List<ModelResult> models,
    List<CaseResult> cases,
    List<CheckResult> checks,
    List<SpeedResult> speed,
    List<Session> sessions,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        ShardInfo shard) {
  /**
   * The results format. {@code /2} (typed levels: {@code level} is an object with the label and the
   * swept values) replaced {@code /1} (the label only); readers upgrade {@code /1} files and refuse
   * other versions.
   */
  public static final String SCHEMA = "qrbench-results/2";

  public RunResult {
    models = List.copyOf(models);
    cases = List.copyOf(cases);
    checks = checks == null ? List.of() : List.copyOf(checks);
    speed = speed == null ? List.of() : List.copyOf(speed);
    sessions = sessions == null ? List.of() : List.copyOf(sessions);
  }

  /** A whole run (not a shard). */
  public RunResult(
      String schema,
      SuiteInfo suite,
      EnvironmentInfo environment,
      RunStatus status,
      String startedAt,
      String finishedAt,
      double wallSeconds,
      List<ModelResult> models,
      List<CaseResult> cases,
      List<CheckResult> checks,
      List<SpeedResult> speed,
      List<Session> sessions) {
    this(
        schema,
        suite,
        environment,
        status,
        startedAt,
        finishedAt,
        wallSeconds,
        models,
        cases,
        checks,
        speed,
        sessions,
        null);
  }

  /** A run without a record of its sessions. */
  public RunResult(
      String schema,
      SuiteInfo suite,
      EnvironmentInfo environment,
      RunStatus status,
      String startedAt,
      String finishedAt,
      double wallSeconds,
      List<ModelResult> models,
      List<CaseResult> cases,
      List<CheckResult> checks,
      List<SpeedResult> speed) {
    this(
        schema,
        suite,
        environment,
        status,
        startedAt,
        finishedAt,
        wallSeconds,
        models,
        cases,
        checks,
        speed,
        List.of());
  }

  /** True when every check held (also when there are none). */
  public boolean checksPassed() {
    return checks.stream().allMatch(CheckResult::passed);
  }

  /** The same run with these checks. */
  public RunResult withChecks(List<CheckResult> newChecks) {
    return new RunResult(
        schema,
        suite,
        environment,
        status,
        startedAt,
        finishedAt,
        wallSeconds,
        models,
        cases,
        newChecks,
        speed,
        sessions,
        shard);
  }

  /** The same run with these speed measurements. */
  public RunResult withSpeed(List<SpeedResult> newSpeed) {
    return new RunResult(
        schema,
        suite,
        environment,
        status,
        startedAt,
        finishedAt,
        wallSeconds,
        models,
        cases,
        checks,
        newSpeed,
        sessions,
        shard);
  }

  /** True when every case finished without error. */
  public boolean allPassed() {
    return cases.stream().allMatch(CaseResult::ok);
  }
}
