package io.qrbench.reports.allure;

import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CheckResult;
import io.qrbench.result.Metric;
import io.qrbench.result.Metrics;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a run into Allure results, in Allure's own model (allure-model's {@link TestResult}): one
 * per case, one per suite check. Everything is derived from the run alone, so rendering the same
 * results twice gives the same files.
 */
final class AllureResults {
  private final RunResult run;
  private final String suite;
  private final Map<String, ModelResult> models;
  private final long runStart;

  private AllureResults(RunResult run) {
    this.run = run;
    this.suite = run.suite() == null ? "" : run.suite().name();
    this.models =
        run.models().stream()
            .collect(Collectors.toMap(ModelResult::name, Function.identity(), (a, b) -> a));
    this.runStart = epochMillis(run.startedAt());
  }

  /** The run's results: its cases in run order, then its checks. */
  static List<TestResult> of(RunResult run) {
    return new AllureResults(run).all();
  }

  private List<TestResult> all() {
    List<TestResult> out = new ArrayList<>();
    long t = runStart;
    for (CaseResult c : run.cases()) {
      long millis = c.metrics() == null ? 0 : Math.round(c.metrics().seconds() * 1000);
      out.add(forCase(c, t, t + millis));
      t += millis;
    }
    for (int i = 0; i < run.checks().size(); i++) {
      out.add(forCheck(run.checks().get(i), i, t));
    }
    return out;
  }

  private TestResult forCase(CaseResult c, long start, long stop) {
    List<Label> labels = new ArrayList<>(common());
    labels.add(label("subSuite", c.model()));
    labels.add(label("feature", c.perturbation()));
    if (c.level() != null && !c.level().isEmpty()) {
      labels.add(label("story", c.level().label()));
    }
    labels.add(label("tag", c.perturbationId()));
    labels.add(label("thread", c.model()));
    List<Parameter> params = new ArrayList<>();
    params.add(param("model", c.model()));
    ModelResult m = models.get(c.model());
    if (m != null) {
      params.add(param("quantizer", m.quantizer()));
    }
    if (c.params() != null) {
      c.params().forEach((k, v) -> params.add(param(k, String.valueOf(v))));
    }
    params.add(param("level", c.level() == null || c.level().isEmpty() ? "-" : c.level().label()));
    String id = c.id();
    return new TestResult()
        .setUuid(uuid("case", id))
        .setHistoryId(hash(suite + "\0" + id))
        .setTestCaseId(hash(suite + "\0" + id))
        .setName(id)
        .setFullName(suite + "/" + id)
        .setDescription(describe(c))
        .setStatus(c.ok() ? Status.PASSED : Status.BROKEN)
        .setStatusDetails(c.ok() ? null : details(String.valueOf(c.error())))
        .setStage(Stage.FINISHED)
        .setStart(start)
        .setStop(stop)
        .setLabels(labels)
        .setParameters(params)
        .setSteps(c.metrics() == null ? new ArrayList<>() : steps(c.metrics(), stop));
  }

  private TestResult forCheck(CheckResult check, int index, long at) {
    List<Label> labels = new ArrayList<>(common());
    labels.add(label("subSuite", "checks"));
    labels.add(label("feature", "checks"));
    labels.add(label("tag", "check"));
    labels.add(label("thread", "checks"));
    List<Parameter> params =
        new ArrayList<>(
            List.of(
                param("left", String.valueOf(check.left())),
                param("right", String.valueOf(check.right()))));
    String key = "check\0" + check.expression();
    return new TestResult()
        .setUuid(uuid("check", index + "\0" + check.expression()))
        .setHistoryId(hash(suite + "\0" + key))
        .setTestCaseId(hash(suite + "\0" + key))
        .setName(check.expression())
        .setFullName(suite + "/checks/" + check.expression())
        .setDescription(check.detail())
        .setStatus(check.passed() ? Status.PASSED : Status.FAILED)
        .setStatusDetails(check.passed() ? null : details(String.valueOf(check.detail())))
        .setStage(Stage.FINISHED)
        .setStart(at)
        .setStop(at)
        .setLabels(labels)
        .setParameters(params);
  }

  private List<Label> common() {
    var env = run.environment();
    List<Label> labels = new ArrayList<>();
    labels.add(label("parentSuite", "qrbench"));
    labels.add(label("suite", suite));
    labels.add(label("framework", "qrbench"));
    labels.add(label("language", "java"));
    if (env != null) {
      // the machine as recorded: Allure's timeline groups by host
      labels.add(label("host", env.os() + " / " + env.cpu()));
    }
    return labels;
  }

  /** The metrics as steps, so that they show in the result's execution tree. */
  private static List<StepResult> steps(Metrics m, long at) {
    List<StepResult> steps = new ArrayList<>();
    steps.add(step(Metric.TOP1.id(), fmt(m.top1()) + " %", at));
    steps.add(step(Metric.TOP5.id(), fmt(m.top5()) + " %", at));
    steps.add(step(Metric.MEAN_ABS_255.jsonName(), fmt(m.meanAbs255()), at));
    steps.add(step("images", Integer.toString(m.images()), at));
    steps.add(step("seconds", fmt(m.seconds()), at));
    steps.add(step("imagesPerSecond", fmt(m.imagesPerSecond()), at));
    m.extra().forEach((k, v) -> steps.add(step(k, fmt(v), at)));
    return steps;
  }

  /** A line in a result's execution tree: one per metric, with no duration of its own. */
  private static StepResult step(String name, String value, long at) {
    return new StepResult()
        .setName(name + " = " + value)
        .setStatus(Status.PASSED)
        .setStage(Stage.FINISHED)
        .setStart(at)
        .setStop(at)
        .setParameters(new ArrayList<>(List.of(param(name, value))));
  }

  /** Groups a result in Allure's Suites, Behaviors, Timeline and Packages views. */
  private static Label label(String name, String value) {
    return new Label().setName(name).setValue(value);
  }

  /** A name and value shown in a result's parameter table. */
  private static Parameter param(String name, String value) {
    return new Parameter().setName(name).setValue(value);
  }

  /** Why a result is not passed. */
  private static StatusDetails details(String message) {
    return new StatusDetails().setMessage(message);
  }

  private static String describe(CaseResult c) {
    if (!c.ok() || c.metrics() == null) {
      return c.model() + " under " + c.perturbation() + " failed: " + c.error();
    }
    Metrics m = c.metrics();
    return String.format(
        Locale.ROOT,
        "%s under %s%s: top-1 %.2f %%, top-5 %.2f %%, mean |δ| %.2f/255, %d images, %.1f images/s",
        c.model(),
        c.perturbation(),
        c.level().isEmpty() ? "" : " (" + c.level().label() + ")",
        m.top1(),
        m.top5(),
        m.meanAbs255(),
        m.images(),
        m.imagesPerSecond());
  }

  private static String fmt(double v) {
    return Double.isFinite(v)
        ? String.format(Locale.ROOT, "%.4f", v).replaceAll("\\.?0+$", "")
        : Double.toString(v);
  }

  /**
   * File names: fixed by the run (its start) and the result, so a re-render replaces rather than
   * adds.
   */
  private String uuid(String kind, String id) {
    return UUID.nameUUIDFromBytes(
            String.join("\0", "qrbench", kind, suite, String.valueOf(run.startedAt()), id)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** History ids: fixed by suite and case only, so Allure links the same case across runs. */
  private static String hash(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java platform", e);
    }
  }

  private static long epochMillis(String iso) {
    try {
      return iso == null ? 0 : Instant.parse(iso).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
