package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.reports.MaskingDiagnostics.Check;
import io.qrbench.reports.MaskingDiagnostics.Finding;
import io.qrbench.reports.MaskingDiagnostics.Status;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SuiteInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingDiagnosticsTest {
  private static final int N = 1000;

  /**
   * A finished case of {@code model} with top-1 {@code top1}% of 1000 images; params as key, value
   * pairs.
   */
  private static CaseResult c(String model, String name, String id, double top1, Object... params) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      p.put((String) params[i], params[i + 1]);
    }
    Level level = p.isEmpty() ? Level.NONE : Level.of(p);
    int correct = (int) Math.round(top1 * N / 100);
    Metrics m = new Metrics(N, top1, 100, correct, N, 0, 0, 0, 0, 1, N, null, Map.of());
    return new CaseResult(
        model + "/" + name + "[" + level.label() + "]",
        model,
        name,
        id,
        level,
        p,
        CaseStatus.OK,
        null,
        m);
  }

  private static RunResult run(String yaml, CaseResult... cases) {
    SuiteInfo suite =
        yaml == null
            ? null
            : new SuiteInfo(
                "s", "", "s.yaml", 1, null, "cifar10", "test", N, "f", yaml, "d", Map.of());
    return new RunResult(
        RunResult.SCHEMA,
        suite,
        null,
        RunStatus.COMPLETE,
        "t0",
        "t1",
        1,
        List.of(),
        List.of(cases),
        List.of(),
        List.of());
  }

  private static Finding finding(RunResult r, String model, Check check) {
    return MaskingDiagnostics.of(r).get(model).stream()
        .filter(f -> f.check() == check)
        .findFirst()
        .orElseThrow();
  }

  private static void assertStatus(Status expected, Finding f) {
    assertEquals(expected, f.status(), f.check() + ": " + f.text());
  }

  @Test
  void samplingErrorIsTwoStandardErrorsOfTheDifference() {
    // p = q = 0.5 on 1000 images: sqrt(0.25/1000 * 2) = 0.02236, times 2, in points
    assertEquals(4.4721, MaskingDiagnostics.margin(50, 1000, 50, 1000), 1e-4);
    assertEquals(0.0, MaskingDiagnostics.margin(0, 1000, 100, 1000), 0.0);
  }

  @Test
  void blackBoxStrongerThanWhiteBoxIsFlaggedWithItsNumbers() {
    double e = 8 / 255.0;
    Finding flag =
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 40, "epsilon", e),
                c("Q", "fgsm", "fgsm", 50, "epsilon", e),
                c("Q", "square", "square", 20, "epsilon", e)),
            "Q",
            Check.BLACK_BOX);
    assertStatus(Status.FLAG, flag);
    assertTrue(flag.text().contains("square (20.0%) < pgd (40.0%)"), flag.text());
    // within sampling error (4.3 points) of the strongest white-box: no flag
    assertStatus(
        Status.PASS,
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 40, "epsilon", e),
                c("Q", "square", "square", 37, "epsilon", e)),
            "Q",
            Check.BLACK_BOX));
    // another epsilon or norm is no comparison
    assertStatus(
        Status.NOT_CHECKED,
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 40, "epsilon", e),
                c("Q", "square", "square", 5, "epsilon", 2 * e),
                c("Q", "square-l2", "square", 5, "norm", "l2", "epsilon", e)),
            "Q",
            Check.BLACK_BOX));
  }

  @Test
  void aTransferAttackIsKnownFromTheSuiteTextOrItsDefaultName() {
    double e = 4 / 255.0;
    String yaml =
        "perturbations:\n  - {id: pgd, source: FP, name: from-fp, epsilon: [0.0156863]}\n";
    RunResult named =
        run(
            yaml,
            c("TWN", "pgd", "pgd", 60, "epsilon", e),
            c("TWN", "from-fp", "pgd", 10, "epsilon", e),
            c("FP", "from-fp", "pgd", 5, "epsilon", e),
            c("FP", "pgd", "pgd", 30, "epsilon", e));
    assertStatus(Status.FLAG, finding(named, "TWN", Check.BLACK_BOX));
    // crafted on itself: a white-box case, not a transfer, so nothing to compare
    assertStatus(Status.NOT_CHECKED, finding(named, "FP", Check.BLACK_BOX));
    RunResult byName =
        run(
            null,
            c("FP", "pgd", "pgd", 5, "epsilon", e),
            c("TWN", "pgd", "pgd", 60, "epsilon", e),
            c("TWN", "pgd@FP", "pgd", 61, "epsilon", e));
    assertStatus(Status.PASS, finding(byName, "TWN", Check.BLACK_BOX));
    assertTrue(finding(byName, "TWN", Check.BLACK_BOX).text().startsWith("checked 1 "));
  }

  @Test
  void accuracyRisingWithEpsilonIsFlagged() {
    Finding flag =
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 30, "epsilon", 0.01),
                c("Q", "pgd", "pgd", 20, "epsilon", 0.02),
                c("Q", "pgd", "pgd", 45, "epsilon", 0.03)),
            "Q",
            Check.MONOTONE);
    assertStatus(Status.FLAG, flag);
    assertTrue(flag.text().contains("45.0% at") && flag.text().contains("> 30.0% at"), flag.text());
    assertStatus(
        Status.PASS,
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 30, "epsilon", 0.01),
                c("Q", "pgd", "pgd", 32, "epsilon", 0.02)),
            "Q",
            Check.MONOTONE));
    assertStatus(
        Status.NOT_CHECKED,
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 30, "epsilon", 0.01),
                c("Q", "gaussian", "gaussian", 80)),
            "Q",
            Check.MONOTONE));
  }

  @Test
  void accuracyAboveChanceAtAVeryLargeEpsilonIsFlaggedAndSaysWhichEpsilon() {
    Finding large =
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 30, "epsilon", 64 / 255.0),
                c("Q", "bim", "bim", 25, "epsilon", 64 / 255.0)),
            "Q",
            Check.LARGE_EPSILON);
    assertStatus(Status.FLAG, large);
    assertTrue(
        large.text().contains("(\u2265 64/255)") && large.text().contains("bim (25.0%)"),
        large.text());
    assertTrue(
        large.text().contains("10 classes, assumed"), "no suite, no dataset: " + large.text());
    Finding cifar =
        finding(
            run("name: s\n", c("Q", "pgd", "pgd", 30, "epsilon", 64 / 255.0)),
            "Q",
            Check.LARGE_EPSILON);
    assertTrue(cifar.text().contains("(10 classes; sampling limit 11.9%)"), cifar.text());
    Finding atChance =
        finding(
            run(null, c("Q", "pgd", "pgd", 11, "epsilon", 80 / 255.0)), "Q", Check.LARGE_EPSILON);
    assertStatus(
        Status.PASS, atChance); // 11% is within sampling error of 10% on 1000 images (limit 11.9%)
    Finding largest =
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 50, "epsilon", 4 / 255.0),
                c("Q", "pgd", "pgd", 30, "epsilon", 8 / 255.0)),
            "Q",
            Check.LARGE_EPSILON);
    assertStatus(Status.FLAG, largest);
    assertTrue(
        largest.text().contains("largest") && largest.text().contains("8.0/255"), largest.text());
    assertStatus(
        Status.NOT_CHECKED,
        finding(run(null, c("Q", "fgsm", "fgsm", 10, "epsilon", 0.5)), "Q", Check.LARGE_EPSILON));
  }

  @Test
  void moreStepsOrRestartsStillLoweringAccuracyIsFlagged() {
    double e = 2 / 255.0;
    Finding flag =
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 40, "epsilon", e),
                c("Q", "pgd-100", "pgd", 30, "epsilon", e, "steps", 100)),
            "Q",
            Check.MORE_EFFORT);
    assertStatus(Status.FLAG, flag);
    assertTrue(
        flag.text()
            .contains("pgd-100 (30.0%) with 100 steps, 1 restarts < pgd (40.0%) with 10 steps"),
        flag.text());
    assertStatus(
        Status.PASS,
        finding(
            run(
                null,
                c("Q", "pgd", "pgd", 40, "epsilon", e),
                c("Q", "pgd-r5", "pgd", 38, "epsilon", e, "restarts", 5)),
            "Q",
            Check.MORE_EFFORT));
    // more steps but fewer restarts: neither tries harder
    assertStatus(
        Status.NOT_CHECKED,
        finding(
            run(
                null,
                c("Q", "a", "pgd", 40, "epsilon", e, "steps", 100),
                c("Q", "b", "pgd", 20, "epsilon", e, "restarts", 5)),
            "Q",
            Check.MORE_EFFORT));
    assertStatus(
        Status.NOT_CHECKED,
        finding(
            run(
                null,
                c("Q", "a", "pgd", 40, "epsilon", e, "steps", 100),
                c("Q", "b", "pgd", 20, "epsilon", 2 * e, "steps", 10)),
            "Q",
            Check.MORE_EFFORT));
  }

  @Test
  void theHtmlReportHasADiagnosticsSectionPerModel() {
    List<CaseResult> cases = new ArrayList<>(Fixtures.hostile().cases());
    RunResult h = Fixtures.hostile();
    cases.add(c(Fixtures.A, "square", "square", 0, "epsilon", 0.01));
    RunResult r =
        new RunResult(
            h.schema(),
            h.suite(),
            h.environment(),
            h.status(),
            h.startedAt(),
            h.finishedAt(),
            h.wallSeconds(),
            h.models(),
            cases,
            h.checks(),
            h.speed());
    String html = HtmlReportWriter.render(r);
    String section =
        HtmlReportWriterTest.between(html, "<section id=\"diagnostics\"", "</section>");
    assertEquals(2, HtmlReportWriterTest.count(section, "class=\"diagnostics-model\""));
    assertEquals(8, HtmlReportWriterTest.count(section, "<li class=\"diagnostic "));
    String a =
        HtmlReportWriterTest.between(
            section, "data-model=\"FP &quot;base&quot; &amp; co\"", "</div>");
    assertTrue(a.contains("<li class=\"diagnostic flag\" data-check=\"black_box\">"), a);
    assertTrue(a.contains("square (0.0%) &lt; pgd (37.5%)"), a);
    String b = HtmlReportWriterTest.between(section, "data-model=\"TWN&#39;&lt;b&gt;\"", "</div>");
    assertTrue(b.contains("<li class=\"diagnostic unchecked\" data-check=\"black_box\">"), b);
    assertTrue(html.contains("<a href=\"#diagnostics\">Diagnostics</a>"));
  }
}
