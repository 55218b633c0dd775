package io.qrbench.reports;

import static io.qrbench.reports.HtmlReportWriterTest.between;
import static io.qrbench.reports.HtmlReportWriterTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.Predictions;
import io.qrbench.result.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report read at a glance: epsilons in k/255, confidence bands, minimal attacks by size. */
class ReadableReportTest {

  @Test
  void epsilonsThatAreWholeSteps255ReadAsFractions() {
    assertEquals("2/255", Fmt.over255(2 / 255.0));
    assertEquals("8/255", Fmt.over255(0.03137), "k/255 to four significant digits");
    assertNull(Fmt.over255(0.0314), "0.0314 is not 8/255 (0.03137) to four digits");
    assertNull(Fmt.over255(0.01));
    assertNull(Fmt.over255(0));
    assertEquals("epsilon=4/255", Fmt.level(Fixtures.level("epsilon=" + 4 / 255.0)));
    assertEquals("epsilon=0.01", Fmt.level(Fixtures.level("epsilon=0.01")));
    assertEquals("severity=2", Fmt.level(Fixtures.level("severity=2")), "not an epsilon");
  }

  @Test
  void epsilonSweepsInK255ShowFractionsInTablesAndAxes() {
    String html = HtmlReportWriter.render(run());
    String study = between(html, "<table id=\"study-table\"", "</table>");
    assertTrue(study.contains("<td class=\"level\">epsilon=2/255</td>"), study);
    assertTrue(study.contains("<td class=\"level\">epsilon=8/255</td>"), study);
    // the row key, a contract for scripts and browser tests, keeps the level as recorded
    assertTrue(study.contains("data-case=\"pgd|epsilon=" + 2 / 255.0 + "\""), study);
    String chart = between(html, "data-chart=\"pgd\"", "</svg>");
    assertTrue(chart.contains(">epsilon (in 1/255)</text>"), chart);
    List<String> ticks = new ArrayList<>();
    Matcher m = Pattern.compile("class=\"tick\"[^>]*>([^<]*)</text>").matcher(chart);
    while (m.find()) {
      ticks.add(m.group(1));
    }
    assertTrue(ticks.containsAll(List.of("0", "2/255", "4/255", "8/255")), ticks.toString());
    // a decimal sweep keeps decimal ticks
    String other = between(html, "data-chart=\"fgsm\"", "</svg>");
    assertFalse(other.contains("/255"), other);
    assertTrue(other.contains(">0.01<") || other.contains(">0.010<"), other);
  }

  @Test
  void curvesShadeTheWilsonIntervalOfEachPoint() {
    String html = HtmlReportWriter.render(run());
    String chart = between(html, "data-chart=\"pgd\"", "</svg>");
    assertEquals(2, count(chart, "<path class=\"band m"), chart);
    // A at 8/255: 2 of 8 right; the band's upper and lower edges there are Wilson's bounds
    PairedComparison.Interval ci = PairedComparison.accuracyInterval(2, 8);
    assertEquals(7.1, Math.round(ci.low() * 10) / 10.0, 0.15, "Wilson 2/8 lower bound");
    assertEquals(59.1, Math.round(ci.high() * 10) / 10.0, 0.15, "Wilson 2/8 upper bound");
    assertTrue(
        chart.contains("25.0% (95% CI " + Fmt.pct(ci.low()) + "\u2013" + Fmt.pct(ci.high())));
    String band = between(chart, "<path class=\"band m0\"", "</path>");
    Matcher d = Pattern.compile(" d=\"([^\"]+)\"").matcher(band);
    assertTrue(d.find());
    String[] corners = d.group(1).replace("M", "").replace("Z", "").split("L");
    assertEquals(8, corners.length, "4 levels up along the upper bounds, 4 back along the lower");
    double yHigh = Double.parseDouble(corners[3].split(",")[1]);
    double yLow = Double.parseDouble(corners[4].split(",")[1]);
    assertTrue(yLow > yHigh, "SVG y grows downwards: the lower bound is drawn below the upper");
    assertEquals(ci.high() - ci.low(), (yLow - yHigh) / pixelsPerPoint(chart), 0.2);
  }

  @Test
  void minimalAttacksShowTheirSizeInsteadOfAccuracy() {
    String html = HtmlReportWriter.render(run());
    String row = between(html, "data-case=\"deepfool|\"", "</tr>");
    assertFalse(row.contains("data-metric=\"top1\""), row);
    assertTrue(row.contains("class=\"num minimal-size\""), row);
    assertTrue(row.contains("median L\u221e 2.55/255, L2 0.400, fooled 90.0%"), row);
    String comparisons = between(html, "<section id=\"comparisons\"", "</section>");
    assertFalse(comparisons.contains("data-case=\"deepfool|\""), "no McNemar test of ~0% vs ~0%");
    assertFalse(html.contains("data-chart=\"deepfool\""));
  }

  @Test
  void scoresGiveMeanCorruptionErrorAgainstTheFirstModelAndAreaUnderEachAttackCurve() {
    String html = HtmlReportWriter.render(run());
    String scores = between(html, "<section id=\"scores\"", "</section>");
    // noise: A right on 6, 4, 2 of 8 at severity 1-3, B on 5, 3, 1: errors 12 vs 15 images
    double aErrors = (25 + 50 + 75);
    double bErrors = (37.5 + 62.5 + 87.5);
    assertTrue(scores.contains("data-metric=\"mce\" data-value=\"100\""), "the baseline is 100%");
    String bRow = between(scores, "data-model=\"" + Html.esc(Fixtures.B) + "\"", "</tr>");
    assertTrue(bRow.contains(">" + Fmt.pct(100 * bErrors / aErrors) + "<"), bRow);
    // pgd A: 75, 62.5, 50, 25 at 0, 2, 4, 8 /255; x rescaled: widths 1/4, 1/4, 1/2
    double auc = 0.25 * (75 + 62.5) / 2 + 0.25 * (62.5 + 50) / 2 + 0.5 * (50 + 25) / 2;
    String aRow = between(scores, "data-model=\"" + Html.esc(Fixtures.A) + "\"", "</tr>");
    assertTrue(aRow.contains("data-sweep=\"pgd\" data-value=\"" + Fmt.exact(auc) + "\""), aRow);
    assertEquals("50.0", Fmt.pct(auc), "by hand: 17.19 + 14.06 + 18.75");
    assertFalse(scores.contains("AUC deepfool"));
    assertTrue(scores.contains("AUC fgsm"));
  }

  @Test
  void eachModelFoldsItsPerLayerQuantizationTable() {
    String html = HtmlReportWriter.render(run());
    String models = between(html, "<section id=\"models\"", "</section>");
    assertEquals(2, count(models, "<details class=\"layers\""));
    String b =
        between(
            models, "<details class=\"layers\" data-model=\"" + Html.esc(Fixtures.B), "</details>");
    assertTrue(b.contains("2 weight tensors, 1 quantized by twn"), b);
    assertTrue(b.contains("<tr class=\"layer-row\"><th scope=\"row\" class=\"path\">conv</th>"), b);
    assertTrue(b.contains("<tr class=\"layer-row full-precision\">"), b);
    assertTrue(
        b.contains(">1,000<")
            && b.contains(">40.0%<")
            && b.contains(">0.1000<")
            && b.contains(">250 B<"),
        b);
  }

  @Test
  void absolutePathsAreShownRelativeToTheReportFolder(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("runs/today");
    java.nio.file.Files.createDirectories(out);
    String weights = tmp.resolve("models/twn.params").toAbsolutePath().toString();
    String suiteFile = tmp.resolve("suites/s.yaml").toAbsolutePath().toString();
    RunResult base = run();
    List<io.qrbench.result.ModelResult> models = new ArrayList<>();
    for (var m : base.models()) {
      models.add(
          new io.qrbench.result.ModelResult(
              m.name(),
              m.model(),
              m.modelParams(),
              m.quantizer(),
              m.quantizerParams(),
              weights + "; BatchNorm re-estimated on 512 training images",
              m.parameters(),
              m.quantization(),
              m.trainAccuracy(),
              m.cost(),
              m.backend(),
              m.deployedFrom()));
    }
    var s = base.suite();
    var suite =
        new io.qrbench.result.SuiteInfo(
            s.name(),
            s.description(),
            suiteFile,
            s.seed(),
            s.limit(),
            s.dataset(),
            s.split(),
            s.images(),
            s.fingerprint(),
            s.yaml(),
            s.definition(),
            s.weights());
    RunResult r =
        new RunResult(
            base.schema(),
            suite,
            base.environment(),
            base.status(),
            base.startedAt(),
            base.finishedAt(),
            base.wallSeconds(),
            models,
            base.cases(),
            List.of(),
            List.of());
    new HtmlReportWriter().write(new io.qrbench.spi.EmptyConfig(), r, out);
    String html = java.nio.file.Files.readString(out.resolve(HtmlReportWriter.FILE));
    assertFalse(html.contains(tmp.toAbsolutePath().toString()), "no absolute path on the page");
    assertTrue(
        html.contains(
            "<td class=\"path\">../../models/twn.params; BatchNorm re-estimated on 512 training images</td>"),
        between(html, "<table id=\"models-table\"", "</table>"));
    assertTrue(html.contains("<dd data-key=\"suite-file\">../../suites/s.yaml</dd>"));
    assertTrue(html.contains("from ../../suites/s.yaml."));
    // without a folder (rendering for a test or a pipe) the paths stay as recorded
    assertTrue(HtmlReportWriter.render(r).contains(weights));
  }

  @Test
  void perClassAccuracyAndConfusionMatricesComeFromTheCleanPredictions() {
    String html = HtmlReportWriter.render(run());
    String section = between(html, "<section id=\"classes\"", "</section>");
    String table = between(section, "<table id=\"class-accuracy\"", "</table>");
    assertEquals(3, count(table, "<tr class=\"class-row\""));
    // labels 0 1 2 0 1 2 0 1; A wrong on image 7 (a 1), B on images 6 (a 0) and 7
    String c0 = between(table, "data-class=\"0\"", "</tr>");
    assertTrue(c0.contains(">3<"), "three images of class 0: " + c0);
    assertTrue(c0.contains("data-value=\"100\""), c0);
    assertTrue(c0.contains(">66.7<") && c0.contains("title=\"2 of 3\""), c0);
    String c1 = between(table, "data-class=\"1\"", "</tr>");
    assertEquals(2, count(c1, ">66.7<"), c1);
    assertEquals(2, count(section, "<table class=\"data confusion-matrix\""));
    String b =
        between(section, "confusion-matrix\" data-model=\"" + Html.esc(Fixtures.B), "</table>");
    assertTrue(b.contains("data-true=\"0\" data-predicted=\"1\" style=\"--heat:33.3%\">1<"), b);
    assertTrue(b.contains("data-true=\"1\" data-predicted=\"0\" style=\"--heat:33.3%\">1<"), b);
    assertTrue(
        b.contains(
            "class=\"num heat diagonal\" data-true=\"2\" data-predicted=\"2\" style=\"--heat:100.0%\">2<"),
        b);
    // results without predictions say so
    String old = HtmlReportWriter.render(Fixtures.hostile());
    assertTrue(between(old, "<section id=\"classes\"", "</section>").contains("class=\"empty\""));
  }

  @Test
  void examplesShowCleanAndEachPerturbationsStrongestLevelAndOnlyPngs() {
    String html = HtmlReportWriter.render(run());
    String table = between(html, "<table id=\"examples-table\"", "</table>");
    List<String> rows = new ArrayList<>();
    Matcher m = Pattern.compile("<tr class=\"example-row\" data-case=\"([^\"]*)\"").matcher(table);
    while (m.find()) {
      rows.add(m.group(1));
    }
    assertEquals(
        List.of(
            "none|",
            "noise-c|severity=3",
            "pgd|epsilon=" + 8 / 255.0,
            "fgsm|epsilon=0.02",
            "deepfool|"),
        rows);
    assertEquals(5 * 2, count(table, "<img src=\"" + PNG + "\""), "two good images per case");
    assertEquals(5, count(table, "<td class=\"example missing\">not a PNG</td>"));
    assertFalse(table.contains("javascript:"));
    assertTrue(table.contains("<span class=\"level\">epsilon=8/255</span>"), table);
  }

  @Test
  void theStudyTableKeepsItsFirstColumnInViewAndShortHeadersAtNarrowWidths() {
    String html = HtmlReportWriter.render(run());
    String css = between(html, "<style>", "</style>");
    assertTrue(
        css.contains(
            "#study-table td.perturbation, #study-table thead tr:first-child th:first-child {\n  position: sticky; left: 0;"),
        "sticky first column");
    assertTrue(css.contains("@media (max-width: 900px)"));
    String head = between(html, "<table id=\"study-table\"", "</thead>");
    assertTrue(
        head.contains(
            "<abbr title=\"mean |x\u2032 \u2212 x| in 0\u2013255 units\">|\u03b4|</abbr>"),
        head);
    assertTrue(head.contains(">\u0394 " + Html.esc(Fixtures.B) + "</th>"), head);
    assertTrue(
        head.contains(
            "title=\"top-1 of "
                + Html.esc(Fixtures.B)
                + " \u2212 top-1 of "
                + Html.esc(Fixtures.A)
                + ", in points\""),
        head);
  }

  private static final String PNG = "data:image/png;base64,iVBORw0KGgo=";

  /** {@code c} with predictions and example images, two valid and one that is not a PNG URI. */
  private static CaseResult withExtras(CaseResult c, Predictions p) {
    Metrics m = c.metrics();
    Metrics more =
        new Metrics(
            m.images(),
            m.top1(),
            m.top5(),
            m.correct1(),
            m.correct5(),
            m.meanAbs(),
            m.meanAbs255(),
            m.meanL2(),
            m.meanLinf(),
            m.seconds(),
            m.imagesPerSecond(),
            m.outcomes(),
            m.extra(),
            p,
            List.of(PNG, "javascript:alert(1)", PNG));
    return new CaseResult(
        c.id(),
        c.model(),
        c.perturbation(),
        c.perturbationId(),
        c.level(),
        c.params(),
        c.status(),
        c.error(),
        more);
  }

  /** Vertical pixels per accuracy point, from the 0 and 100 gridlines' labels. */
  private static double pixelsPerPoint(String chart) {
    Matcher m =
        Pattern.compile(
                "<text class=\"tick\" x=\"[^\"]+\" y=\"([^\"]+)\" text-anchor=\"end\">(0|100)<")
            .matcher(chart);
    double y0 = 0;
    double y100 = 0;
    while (m.find()) {
      if (m.group(2).equals("0")) {
        y0 = Double.parseDouble(m.group(1));
      } else {
        y100 = Double.parseDouble(m.group(1));
      }
    }
    return (y0 - y100) / 100;
  }

  /**
   * Two models on 8 images: clean, pgd at 0, 2, 4, 8 /255, fgsm at 0.01 and 0.02, and a deepfool
   * case.
   */
  static RunResult run() {
    RunResult base = Fixtures.hostile();
    List<CaseResult> cases = new ArrayList<>();
    for (String model : List.of(Fixtures.A, Fixtures.B)) {
      boolean a = model.equals(Fixtures.A);
      cases.add(
          Fixtures.ok(
              model, "none", "none", "", Fixtures.bits(8, Fixtures.range(a ? 7 : 6)), Map.of()));
      for (int sev = 1; sev <= 3; sev++) {
        cases.add(
            Fixtures.ok(
                model,
                "noise-c",
                "gaussian",
                "severity=" + sev,
                Fixtures.bits(8, Fixtures.range((a ? 8 : 7) - 2 * sev)),
                Map.of()));
      }
      int[] right = {6, 5, 4, 2};
      double[] eps = {0, 2 / 255.0, 4 / 255.0, 8 / 255.0};
      for (int i = 0; i < eps.length; i++) {
        cases.add(
            Fixtures.ok(
                model,
                "pgd",
                "pgd",
                "epsilon=" + eps[i],
                Fixtures.bits(8, Fixtures.range(a ? right[i] : right[i] - 1)),
                Map.of()));
      }
      for (String e : List.of("0.01", "0.02")) {
        cases.add(
            Fixtures.ok(
                model,
                "fgsm",
                "fgsm",
                "epsilon=" + e,
                Fixtures.bits(8, Fixtures.range(3)),
                Map.of()));
      }
      cases.add(
          Fixtures.ok(
              model,
              "deepfool",
              "deepfool",
              "",
              Fixtures.bits(8, new int[0]),
              Map.of("fooled", 0.9, "median-linf", 0.01, "median-l2", 0.4)));
    }
    int[] labels = {0, 1, 2, 0, 1, 2, 0, 1};
    List<CaseResult> extras = new ArrayList<>();
    for (CaseResult c : cases) {
      boolean a = c.model().equals(Fixtures.A);
      Predictions p =
          c.perturbationId().equals("none")
              ? Predictions.of(
                  labels,
                  a ? new int[] {0, 1, 2, 0, 1, 2, 0, 2} : new int[] {0, 1, 2, 0, 1, 2, 1, 0})
              : null;
      extras.add(withExtras(c, p));
    }
    cases = extras;
    return new RunResult(
        base.schema(),
        base.suite(),
        base.environment(),
        base.status(),
        base.startedAt(),
        base.finishedAt(),
        base.wallSeconds(),
        base.models(),
        cases,
        List.of(),
        List.of());
  }
}
