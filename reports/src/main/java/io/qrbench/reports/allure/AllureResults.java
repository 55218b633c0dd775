package io.qrbench.reports.allure;

import io.qrbench.reports.allure.AllureModel.Label;
import io.qrbench.reports.allure.AllureModel.Parameter;
import io.qrbench.reports.allure.AllureModel.Result;
import io.qrbench.reports.allure.AllureModel.StatusDetails;
import io.qrbench.reports.allure.AllureModel.Step;
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
 * Turns a run into Allure results: one per case, one per suite check. Everything is derived from
 * the run alone, so rendering the same results twice gives the same files.
 */
final class AllureResults {
  private final RunResult run;
  private final String suite;
  private final Map<String, ModelResult> models;
  private final long runStart;

  private AllureResults(RunResult run) {
    this.run = run;
    this.suite = run.suite() == null ? "" : run.suite().name();
    this.models = run.models().stream().collect(Collectors.toMap(ModelResult::name, Function.identity(), (a, b) -> a));
    this.runStart = epochMillis(run.startedAt());
  }

  /** The run's results: its cases in run order, then its checks. */
  static List<Result> of(RunResult run) {
    return new AllureResults(run).all();
  }

  private List<Result> all() {
    List<Result> out = new ArrayList<>();
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

  private Result forCase(CaseResult c, long start, long stop) {
    List<Label> labels = new ArrayList<>(common());
    labels.add(new Label("subSuite", c.model()));
    labels.add(new Label("feature", c.perturbation()));
    if (!c.level().isEmpty()) {
      labels.add(new Label("story", c.level().label()));
    }
    labels.add(new Label("tag", c.perturbationId()));
    labels.add(new Label("thread", c.model()));
    List<Parameter> params = new ArrayList<>();
    params.add(new Parameter("model", c.model()));
    ModelResult m = models.get(c.model());
    if (m != null) {
      params.add(new Parameter("quantizer", m.quantizer()));
    }
    if (c.params() != null) {
      c.params().forEach((k, v) -> params.add(new Parameter(k, String.valueOf(v))));
    }
    params.add(new Parameter("level", c.level().isEmpty() ? "-" : c.level().label()));
    String id = c.id();
    return new Result(uuid("case", id), hash(suite + "\0" + id), hash(suite + "\0" + id), id, suite + "/" + id,
        describe(c), c.ok() ? "passed" : "broken", c.ok() ? null : new StatusDetails(String.valueOf(c.error())),
        "finished", start, stop, labels, params, c.metrics() == null ? List.of() : steps(c.metrics(), stop),
        null, null);
  }

  private Result forCheck(CheckResult check, int index, long at) {
    List<Label> labels = new ArrayList<>(common());
    labels.add(new Label("subSuite", "checks"));
    labels.add(new Label("feature", "checks"));
    labels.add(new Label("tag", "check"));
    labels.add(new Label("thread", "checks"));
    List<Parameter> params = List.of(new Parameter("left", String.valueOf(check.left())),
        new Parameter("right", String.valueOf(check.right())));
    String key = "check\0" + check.expression();
    return new Result(uuid("check", index + "\0" + check.expression()), hash(suite + "\0" + key), hash(suite + "\0" + key),
        check.expression(), suite + "/checks/" + check.expression(), check.detail(),
        check.passed() ? "passed" : "failed", check.passed() ? null : new StatusDetails(String.valueOf(check.detail())),
        "finished", at, at, labels, params, List.of(), null, null);
  }

  private List<Label> common() {
    var env = run.environment();
    List<Label> labels = new ArrayList<>();
    labels.add(new Label("parentSuite", "qrbench"));
    labels.add(new Label("suite", suite));
    labels.add(new Label("framework", "qrbench"));
    labels.add(new Label("language", "java"));
    if (env != null) {
      // the machine as recorded: Allure's timeline groups by host
      labels.add(new Label("host", env.os() + " / " + env.cpu()));
    }
    return labels;
  }

  /** The metrics as steps, so that they show in the result's execution tree. */
  private static List<Step> steps(Metrics m, long at) {
    List<Step> steps = new ArrayList<>();
    steps.add(step(Metric.TOP1.id(), fmt(m.top1()) + " %", at));
    steps.add(step(Metric.TOP5.id(), fmt(m.top5()) + " %", at));
    steps.add(step(Metric.MEAN_ABS_255.jsonName(), fmt(m.meanAbs255()), at));
    steps.add(step("images", Integer.toString(m.images()), at));
    steps.add(step("seconds", fmt(m.seconds()), at));
    steps.add(step("imagesPerSecond", fmt(m.imagesPerSecond()), at));
    m.extra().forEach((k, v) -> steps.add(step(k, fmt(v), at)));
    return steps;
  }

  private static Step step(String name, String value, long at) {
    return new Step(name + " = " + value, "passed", "finished", at, at, List.of(new Parameter(name, value)));
  }

  private static String describe(CaseResult c) {
    if (!c.ok() || c.metrics() == null) {
      return c.model() + " under " + c.perturbation() + " failed: " + c.error();
    }
    Metrics m = c.metrics();
    return String.format(Locale.ROOT, "%s under %s%s: top-1 %.2f %%, top-5 %.2f %%, mean |δ| %.2f/255, %d images, %.1f images/s",
        c.model(), c.perturbation(), c.level().isEmpty() ? "" : " (" + c.level().label() + ")",
        m.top1(), m.top5(), m.meanAbs255(), m.images(), m.imagesPerSecond());
  }

  private static String fmt(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v).replaceAll("\\.?0+$", "") : Double.toString(v);
  }

  /** File names: fixed by the run (its start) and the result, so a re-render replaces rather than adds. */
  private String uuid(String kind, String id) {
    return UUID.nameUUIDFromBytes(String.join("\0", "qrbench", kind, suite, String.valueOf(run.startedAt()), id)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** History ids: fixed by suite and case only, so Allure links the same case across runs. */
  private static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
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
