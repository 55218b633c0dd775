package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinimalSectionTest {

  @Test
  void deepFoolStandsBesideMinimalWithItsMeanAndMedian() {
    RunResult h = Fixtures.hostile();
    List<CaseResult> cases = new ArrayList<>(h.cases());
    Metrics m =
        new Metrics(
            8,
            0,
            0,
            0,
            0,
            0.002,
            0.51,
            0.25,
            0.03,
            1,
            8,
            null,
            Map.of("fooled", 1.0, Metrics.MEDIAN_L2, 0.125, Metrics.MEDIAN_LINF, 0.0125));
    cases.add(
        new CaseResult(
            Fixtures.A + "/deepfool",
            Fixtures.A,
            "deepfool",
            "deepfool",
            Level.NONE,
            Map.of(),
            CaseStatus.OK,
            null,
            m));
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
    String table =
        HtmlReportWriterTest.between(
            HtmlReportWriter.render(r), "<table id=\"minimal-table\"", "</table>");
    assertEquals(
        3,
        HtmlReportWriterTest.count(table, "<tr class=\"minimal-row\""),
        "minimal for A and B, deepfool for A");
    assertTrue(
        table.contains("<th scope=\"col\">Attack</th>"), "two attacks: the table names them");
    String df = HtmlReportWriterTest.between(table, "data-case=\"deepfool|\"", "</tr>");
    assertTrue(df.contains("data-metric=\"mean_l2\" data-value=\"0.25\">0.2500<"), df);
    assertTrue(df.contains("data-metric=\"median_l2\" data-value=\"0.125\">0.1250<"), df);
    assertTrue(df.contains("data-metric=\"median_linf\" data-value=\"0.0125\">0.01250<"), df);
    assertTrue(df.contains("data-metric=\"fooled\" data-value=\"1\">100.0%<"), df);
    String md = MarkdownReportWriter.render(r);
    assertTrue(md.contains(" | deepfool | 0.510 | 0.2500 | 0.03000 | 100.0% | 0 |"), md);
    assertTrue(md.contains(" | minimal | 2.550 |"), md);
    // results written before medians were kept show a dash
    String minimal = HtmlReportWriterTest.between(table, "data-case=\"minimal|\"", "</tr>");
    assertTrue(
        minimal.contains("data-metric=\"median_l2\">\u2014<")
            || minimal.contains("data-metric=\"median_l2\">" + Fmt.DASH + "<"),
        minimal);
  }
}
