package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.reports.stats.Holm;
import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.CaseResult;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Compares two runs case by case with a paired test on the same images, so that a change is
 * reported only when it is beyond noise. Many cases are tested at once, so the p-values are
 * adjusted with Holm's step-down method (the family-wise error stays at alpha) unless {@code
 * --correction none}.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description = {
      "Compares two runs' results case by case (top-1, McNemar's paired test on the same images)",
      "and lists what changed beyond noise."
    })
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BASE", description = "the baseline results.json")
  Path base;

  @Parameters(index = "1", paramLabel = "NEW", description = "the results.json to compare with it")
  Path next;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      defaultValue = "0.05",
      description = "significance level for the whole comparison (default ${DEFAULT-VALUE})")
  double alpha;

  @Option(
      names = "--correction",
      paramLabel = "C",
      defaultValue = "holm",
      description = "multiple-comparison correction: holm or none (default ${DEFAULT-VALUE})")
  String correction;

  @Option(names = "--all", description = "list every case, not only the significant changes")
  boolean all;

  @Option(
      names = "--fail-on-change",
      description = "exit with 3 when a significant change is found")
  boolean failOnChange;

  @Spec CommandSpec spec;

  /** One case found in both runs. */
  private record Row(String id, CaseResult a, CaseResult b, PairedComparison cmp, String problem) {}

  @Override
  public Integer call() {
    if (!(alpha > 0 && alpha < 1)) {
      throw new ConfigException("--alpha must be between 0 and 1, was " + alpha);
    }
    String corr = correction.toLowerCase(Locale.ROOT);
    if (!corr.equals("holm") && !corr.equals("none")) {
      throw new ConfigException("--correction must be holm or none, was '" + correction + "'");
    }
    RunResult a = read(base);
    RunResult b = read(next);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "base: %s (suite '%s', seed %d, %d images, commit %s)%n",
        base, a.suite().name(), a.suite().seed(), a.suite().images(), commit(a));
    out.printf(
        "new:  %s (suite '%s', seed %d, %d images, commit %s)%n",
        next, b.suite().name(), b.suite().seed(), b.suite().images(), commit(b));
    comparable(a, b);
    Map<String, CaseResult> inB = new LinkedHashMap<>();
    b.cases().forEach(c -> inB.put(c.id(), c));
    List<Row> rows = new ArrayList<>();
    List<String> onlyBase = new ArrayList<>();
    for (CaseResult ca : a.cases()) {
      CaseResult cb = inB.remove(ca.id());
      if (cb == null) {
        onlyBase.add(ca.id());
      } else if (!ca.ok() || !cb.ok()) {
        rows.add(new Row(ca.id(), ca, cb, null, "failed in " + (!ca.ok() ? "base" : "new")));
      } else {
        try {
          rows.add(new Row(ca.id(), ca, cb, PairedComparison.of(ca, cb), null));
        } catch (IllegalArgumentException e) {
          rows.add(new Row(ca.id(), ca, cb, null, e.getMessage()));
        }
      }
    }
    double[] p =
        rows.stream().mapToDouble(r -> r.cmp() == null ? Double.NaN : r.cmp().mcNemarP()).toArray();
    double[] adjusted = corr.equals("holm") ? Holm.adjust(p) : p;
    int changed = 0;
    int worse = 0;
    out.printf(
        "%n%-44s %9s %9s %8s  %-19s %10s  %s%n",
        "case", "base top1", "new top1", "diff", "95% CI", "p (" + corr + ")", "verdict");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (r.cmp() == null) {
        out.printf(
            "%-44s %9s %9s %8s  %-19s %10s  not compared: %s%n",
            r.id(), top1(r.a()), top1(r.b()), "", "", "", r.problem());
        continue;
      }
      boolean sig = adjusted[i] < alpha;
      if (sig) {
        changed++;
        worse += r.cmp().difference() < 0 ? 1 : 0;
      }
      if (sig || all) {
        PairedComparison.Interval ci = r.cmp().differenceInterval();
        out.printf(
            Locale.ROOT,
            "%-44s %8.2f%% %8.2f%% %+7.2f  [%+7.2f, %+7.2f] %10.3g  %s%n",
            r.id(),
            r.cmp().accuracyA(),
            r.cmp().accuracyB(),
            r.cmp().difference(),
            ci.low(),
            ci.high(),
            adjusted[i],
            sig ? (r.cmp().difference() < 0 ? "WORSE" : "BETTER") : "no significant change");
      }
    }
    onlyBase.forEach(id -> out.printf("%-44s only in base%n", id));
    inB.keySet().forEach(id -> out.printf("%-44s only in new%n", id));
    long compared = rows.stream().filter(r -> r.cmp() != null).count();
    long notCompared = rows.size() - compared + onlyBase.size() + inB.size();
    if (compared == 0) {
      out.flush();
      throw new ConfigException(
          base
              + " and "
              + next
              + ": no case could be compared: "
              + (rows.isEmpty()
                  ? "the runs have no case in common (listed above as only in base or only in new)"
                  : "each case in both runs failed in one of them or lacks per-image outcomes (listed above)")
              + "; compare two runs of the same suite that finished their cases");
    }
    if (notCompared > 0) {
      out.printf("%n%d case(s) could not be compared (listed above)", notCompared);
    }
    out.printf(
        "%n%d case(s) compared: %s%n",
        compared,
        changed == 0
            ? "no significant change at alpha "
                + alpha
                + (corr.equals("holm") ? " (Holm-adjusted)" : "")
            : changed
                + " significant change(s), "
                + worse
                + " worse and "
                + (changed - worse)
                + " better, at alpha "
                + alpha
                + (corr.equals("holm") ? " (Holm-adjusted)" : ""));
    out.flush();
    return failOnChange && changed > 0 ? Main.CHECK_FAILED : Main.OK;
  }

  private static RunResult read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          file + ": no such file; pass two results.json files written by 'qrbench run'");
    }
    RunResult r = ResultsJson.read(file);
    if (r.status() == io.qrbench.result.RunStatus.RUNNING) {
      throw new ConfigException(
          file
              + ": the run is incomplete (status 'running', "
              + r.cases().size()
              + " case(s) finished); finish it with 'qrbench run SUITE --resume --out "
              + describeFolder(file)
              + "' and compare again");
    }
    return r;
  }

  private static String describeFolder(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? "DIR" : dir.toString();
  }

  /**
   * Refuses runs whose cases cannot be paired image by image: other data, another split, or another
   * number of images (another --limit).
   */
  private void comparable(RunResult a, RunResult b) {
    if (!Objects.equals(a.suite().dataset(), b.suite().dataset())
        || !Objects.equals(a.suite().split(), b.suite().split())) {
      throw new ConfigException(
          base
              + " and "
              + next
              + ": the runs evaluated different data (base: "
              + a.suite().dataset()
              + "/"
              + a.suite().split()
              + ", new: "
              + b.suite().dataset()
              + "/"
              + b.suite().split()
              + "); a paired test needs both on the same images:"
              + " compare runs of suites with the same dataset and split");
    }
    if (a.suite().images() != b.suite().images()
        || !Objects.equals(a.suite().limit(), b.suite().limit())) {
      throw new ConfigException(
          base
              + " and "
              + next
              + ": the runs evaluated different images (base: "
              + images(a)
              + ", new: "
              + images(b)
              + "); a paired test needs both on the same images: compare runs made with the same --limit");
    }
  }

  private static String images(RunResult r) {
    return r.suite().images()
        + " images"
        + (r.suite().limit() == null ? "" : ", --limit " + r.suite().limit());
  }

  private static String top1(CaseResult c) {
    return c.metrics() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", c.metrics().top1());
  }

  private static String commit(RunResult r) {
    return r.environment() == null || r.environment().gitCommit() == null
        ? "unknown"
        : r.environment().gitCommit();
  }
}
