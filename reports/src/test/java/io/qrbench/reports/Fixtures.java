package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.CheckResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.ModelCost;
import io.qrbench.result.ModelResult;
import io.qrbench.result.Outcomes;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SpeedResult;
import io.qrbench.result.SuiteInfo;
import io.qrbench.store.ResultsJson;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Results for the report tests: a real run, and a small hostile one with every corner. */
final class Fixtures {
  static final String SUITE = "<script>alert(1)</script>";
  static final String A = "FP \"base\" & co";
  static final String B = "TWN'<b>";
  static final String ERROR = "boom <img src=x onerror=alert(1)>, \"quoted\"\nsecond line";

  private Fixtures() {}

  /** The 1000-image FP vs TWN robustness run (80 cases). */
  static RunResult real() {
    try {
      return ResultsJson.read(Path.of(Fixtures.class.getResource("/robustness-1000.json").toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Two models, 8 images per case (64 for {@code big}), rows in this order: none, big, sev-c
   * severity 1..3 (B fails at 2), pgd epsilon 0.01/0.02, speckle (no outcomes), minimal.
   */
  static RunResult hostile() {
    List<CaseResult> cases = new ArrayList<>();
    for (String model : List.of(A, B)) {
      boolean a = model.equals(A);
      // A right on images 0-3, B on 0, 1, 4, 5: both 2, only A 2, only B 2, neither 2
      cases.add(
          ok(
              model,
              "none",
              "none",
              "",
              bits(8, a ? new int[] {0, 1, 2, 3} : new int[] {0, 1, 4, 5}),
              Map.of()));
      cases.add(ok(model, "big", "gaussian", "", bits(64, a ? range(64) : new int[0]), Map.of()));
      for (int s = 1; s <= 3; s++) {
        if (!a && s == 2) {
          cases.add(
              new CaseResult(
                  model + "/sev-c[severity=2]",
                  model,
                  "sev-c",
                  "gaussian",
                  level("severity=2"),
                  Map.of("severity", 2),
                  CaseStatus.FAILED,
                  ERROR,
                  null));
        } else {
          cases.add(
              ok(model, "sev-c", "gaussian", "severity=" + s, bits(8, range(8 - 2 * s)), Map.of()));
        }
      }
      for (String eps : List.of("0.01", "0.02")) {
        cases.add(ok(model, "pgd", "pgd", "epsilon=" + eps, bits(8, range(a ? 3 : 5)), Map.of()));
      }
      CaseResult old = ok(model, "speckle", "speckle", "", null, Map.of());
      cases.add(old);
      cases.add(
          ok(
              model,
              "minimal",
              "minimal",
              "",
              bits(8, new int[0]),
              Map.of("fooled", a ? 0.75 : 0.5)));
    }
    SuiteInfo suite =
        new SuiteInfo(
            SUITE,
            "desc & <i>more</i>",
            "s.yaml",
            7,
            8,
            "synthetic",
            "test",
            8,
            "fp",
            "name: \"" + SUITE + "\"\n",
            "def",
            Map.of(A, "a1"));
    EnvironmentInfo env =
        new EnvironmentInfo(
            "0.1.0",
            "0.36.0",
            "PyTorch",
            "2.7.1",
            "17",
            "Debian",
            "Linux",
            "Test CPU <x>",
            2,
            2,
            "abc123");
    QuantizationSummary q =
        new QuantizationSummary(
            List.of(
                new QuantizationSummary.Layer("conv", 1000, true, 2, 0.4, 0.1, 250),
                new QuantizationSummary.Layer("fc", 100, false, 32, 0, 0, 400)));
    List<ModelResult> models =
        List.of(
            new ModelResult(
                A, "resnet-cifar", Map.of(), "fp32", Map.of(), "a.params", 1100, q, null, null),
            new ModelResult(
                B,
                "resnet-cifar",
                Map.of(),
                "twn",
                Map.of(),
                "b.params",
                1100,
                q,
                null,
                new ModelCost(1100, 4400, 650, 0.4, 40_600_000L, 0.97),
                "onnxruntime int8"));
    List<CheckResult> checks =
        List.of(
            new CheckResult("B.none.top1 >= A.none.top1 - 1", true, 50.0, 49.0, "50 >= 49"),
            new CheckResult("B.pgd.top1 > 90 | `x`", false, 62.5, 90.0, "62.5 > 90 <fails>"));
    List<SpeedResult> speed =
        List.of(
            new SpeedResult(
                A, 1, 2, 3, 10, 1.5, 0.1, 1.4, 1.7, 2.0, 666.7, 12.5, 123_456_789L, 0.8),
            new SpeedResult(B, 1, 2, 3, 10, 1.2, 0.1, 1.1, 1.3, 1.9, 833.3, 10.0, -1L, 0.7));
    return new RunResult(
        RunResult.SCHEMA,
        suite,
        env,
        RunStatus.COMPLETE,
        "t0",
        "t1",
        75.5,
        models,
        cases,
        checks,
        speed);
  }

  static CaseResult ok(
      String model,
      String pert,
      String id,
      String level,
      BitSet outcomes,
      Map<String, Double> extra) {
    int n = pert.equals("big") ? 64 : 8;
    int correct = outcomes == null ? 4 : outcomes.cardinality();
    Metrics m =
        new Metrics(
            n,
            100.0 * correct / n,
            100,
            correct,
            n,
            0.01,
            2.55,
            0.5,
            0.02,
            1.25,
            6.4,
            outcomes == null ? null : Outcomes.of(outcomes),
            extra);
    Map<String, Object> params = new LinkedHashMap<>();
    return new CaseResult(
        model + "/" + pert + (level.isEmpty() ? "" : "[" + level + "]"),
        model,
        pert,
        id,
        level(level),
        params,
        CaseStatus.OK,
        null,
        m);
  }

  /**
   * The level a test writes as its label: one {@code key=value} pair gets its value typed (a number
   * when it is one), as the runner records a one-key sweep; any other text is a label without
   * values.
   */
  static Level level(String label) {
    int eq = label.indexOf('=');
    if (label.isEmpty()) {
      return Level.NONE;
    }
    if (eq <= 0 || label.indexOf(',') >= 0) {
      return new Level(label, Map.of());
    }
    String v = label.substring(eq + 1);
    Object value;
    try {
      value = Long.parseLong(v);
    } catch (NumberFormatException e) {
      try {
        value = Double.parseDouble(v);
      } catch (NumberFormatException x) {
        value = v;
      }
    }
    return new Level(label, Map.of(label.substring(0, eq), value));
  }

  static BitSet bits(int n, int[] set) {
    BitSet b = new BitSet(n);
    for (int i : set) {
      b.set(i);
    }
    return b;
  }

  static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
