package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.RunResult;
import io.qrbench.spi.EmptyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownReportWriterTest {
  @TempDir Path dir;

  @Test
  void summarisesTheRealRunWithSweepsFolded() {
    String md = MarkdownReportWriter.render(Fixtures.real());
    assertTrue(md.startsWith("## \u2705 qrbench: robustness-fp-vs-twn\n"), md);
    assertTrue(
        md.contains(
            "| Perturbation | Level | FP | TWN |\n|---|---|--:|--:|\n| none |  | 81.4 | 81.7 |\n"));
    assertTrue(
        md.contains(
            "| gaussian-c | severity 1\u20265 (5) | 65.4 \u00b7 51.7 \u00b7 40.3 \u00b7 35.5 \u00b7 32.0 | "
                + "67.1 \u00b7 56.0 \u00b7 43.3 \u00b7 38.1 \u00b7 34.8 |"),
        md);
    assertEquals(
        16,
        tableRows(md, "| Perturbation |").size(),
        "5 single + 4 severity + 5 epsilon sweeps + minimal");
    assertTrue(
        md.contains(
            "### Is TWN\u2019s accuracy different from FP\u2019s?\n\nYes in 18 of the 39 cases"));
    assertTrue(
        md.contains(
            "Clean images: +0.3 points (95% CI \u22121.3 to +1.9), McNemar p = 0.810, not significant."));
    assertTrue(md.contains("- poisson-c severity=5: +4.7 points"));
    assertTrue(md.contains("| FP | 0.785 | 0.1807 | 0.00366 | 100.0% | 0 |"), md);
    assertTrue(
        md.contains("seed 1 \u00b7 limit 1000 \u00b7 commit unknown \u00b7 wall 8 min 26 s"));
  }

  @Test
  void escapesPipesBackticksAndMarkup() {
    String md = MarkdownReportWriter.render(Fixtures.hostile());
    assertTrue(md.startsWith("## \u274c qrbench: &lt;script&gt;alert\\(1\\)&lt;/script&gt;\n"), md);
    assertFalse(md.contains("<script>") || md.contains("<b>") || md.contains("<img"));
    assertTrue(
        md.contains("| \u274c | B.pgd.top1 &gt; 90 \\| \\`x\\` | 62.5 &gt; 90 &lt;fails&gt; |"),
        md);
    assertTrue(md.contains("| \u2705 | B.none.top1 &gt;= A.none.top1 - 1 | 50 &gt;= 49 |"));
    assertTrue(md.contains("| FP \"base\" &amp; co | TWN'&lt;b&gt; |"));
    // the failed level shows in the folded sweep
    assertTrue(
        md.contains(
            "| sev-c | severity 1\u20263 (3) | 75.0 \u00b7 50.0 \u00b7 25.0 | 75.0 \u00b7 failed \u00b7 25.0 |"),
        md);
    for (String header : List.of("| Perturbation |", "| Model |", "|  | Check |")) {
      List<String> rows = tableRows(md, header);
      int columns = cells(rows.get(0));
      assertTrue(rows.size() > 2, header);
      rows.forEach(r -> assertEquals(columns, cells(r), r));
    }
  }

  @Test
  void longSweepsShowTheirEnds() {
    RunResult r = Fixtures.hostile();
    List<CaseResult> cases = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      cases.add(
          Fixtures.ok(
              "m",
              "long",
              "gaussian",
              "severity=" + i,
              Fixtures.bits(8, Fixtures.range(i % 9)),
              Map.of()));
    }
    RunResult longRun =
        new RunResult(
            r.schema(),
            r.suite(),
            r.environment(),
            r.status(),
            r.startedAt(),
            r.finishedAt(),
            r.wallSeconds(),
            List.of(),
            cases,
            List.of(),
            List.of());
    String md = MarkdownReportWriter.render(longRun);
    assertTrue(
        md.contains(
            "| long | severity 1\u202610 (10) | 12.5 \u00b7 25.0 \u00b7 37.5 \u00b7 \u2026 \u00b7 0.0 \u00b7 12.5 |"),
        md);
  }

  @Test
  void writesAtomically() throws Exception {
    MarkdownReportWriter w = new MarkdownReportWriter();
    w.write(new EmptyConfig(), Fixtures.hostile(), dir);
    List<Path> files = w.write(new EmptyConfig(), Fixtures.real(), dir);
    assertEquals(List.of(dir.resolve("summary.md")), files);
    assertTrue(Files.readString(files.get(0)).contains("robustness-fp-vs-twn"), "replaced");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          Set.of("summary.md"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
    }
  }

  /** The table whose header line starts with {@code header}: header, delimiter and body lines. */
  private static List<String> tableRows(String md, String header) {
    List<String> lines = md.lines().toList();
    int start = 0;
    while (!lines.get(start).startsWith(header)) {
      start++;
    }
    int end = start;
    while (end < lines.size() && lines.get(end).startsWith("|")) {
      end++;
    }
    List<String> rows = new ArrayList<>(lines.subList(start, end));
    rows.remove(1); // the delimiter row
    return rows.subList(1, rows.size()).isEmpty() ? rows : rows;
  }

  /** Cells in a table line: unescaped pipes minus one. */
  private static int cells(String line) {
    int pipes = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '|' && (i == 0 || line.charAt(i - 1) != '\\')) {
        pipes++;
      }
    }
    return pipes - 1;
  }
}
