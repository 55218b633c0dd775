package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.spi.EmptyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReportWriterTest {
  @TempDir Path dir;

  @Test
  void parsesBackWithOneRowPerCaseAndMetric() {
    List<List<String>> rows = parse(CsvReportWriter.render(Fixtures.hostile()));
    assertEquals(CsvReportWriter.HEADER, rows.get(0));
    // A: 9 finished cases x 11 metrics + its minimal "fooled"; B: 8 x 11 + fooled + 1 status; 2 x
    // 13 speed
    assertEquals(1 + 100 + 90 + 26, rows.size());
    rows.forEach(r -> assertEquals(7, r.size(), r.toString()));
    List<String> status =
        rows.stream().filter(r -> r.get(5).equals("status")).findFirst().orElseThrow();
    assertEquals(
        List.of(
            Fixtures.B + "/sev-c[severity=2]",
            Fixtures.B,
            "onnxruntime int8",
            "sev-c",
            "severity=2",
            "status",
            Fixtures.ERROR),
        status);
    List<String> fooled =
        rows.stream()
            .filter(r -> r.get(5).equals("fooled") && r.get(1).equals(Fixtures.A))
            .findFirst()
            .orElseThrow();
    // A's results predate the backend's recording: its cell is empty
    assertEquals(
        List.of(Fixtures.A + "/minimal", Fixtures.A, "", "minimal", "", "fooled", "0.75"), fooled);
    List<String> speed =
        rows.stream()
            .filter(r -> r.get(0).equals("speed/" + Fixtures.A + "/batch=1"))
            .map(r -> r.get(5) + "=" + r.get(6))
            .toList();
    assertTrue(
        rows.stream()
            .filter(r -> r.get(0).startsWith("speed/" + Fixtures.B + "/"))
            .allMatch(r -> r.get(2).equals("onnxruntime int8")),
        "B's speed rows carry its backend");
    assertEquals(13, speed.size());
    assertTrue(
        speed.contains("p99_ms=2")
            && speed.contains("peak_rss_bytes=123456789")
            && speed.contains("images_per_second=666.7"),
        speed.toString());
  }

  @Test
  void quotesOnlyWhatNeedsQuotingAndEndsLinesWithCrlf() {
    String csv = CsvReportWriter.render(Fixtures.hostile());
    assertTrue(csv.startsWith("case,model,backend,perturbation,level,metric,value\r\n"));
    assertTrue(csv.contains("\"FP \"\"base\"\" & co\""));
    assertTrue(csv.contains("\"" + Fixtures.ERROR.replace("\"", "\"\"") + "\""));
    assertTrue(csv.contains(",images,8\r\n"));
    assertEquals("a", CsvReportWriter.quote("a"));
    assertEquals("\"a,b\"", CsvReportWriter.quote("a,b"));
    assertEquals("\"a\r\nb\"", CsvReportWriter.quote("a\r\nb"));
  }

  @Test
  void numbersRoundTripExactlyWhateverTheLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    String csv;
    try {
      csv = CsvReportWriter.render(Fixtures.real());
    } finally {
      Locale.setDefault(before);
    }
    List<List<String>> rows = parse(csv);
    RunResult real = Fixtures.real();
    assertEquals(1 + 80 * 11 + 2, rows.size()); // two minimal cases add "fooled"
    Map<String, Double> values = new HashMap<>();
    rows.subList(1, rows.size())
        .forEach(r -> values.put(r.get(0) + " " + r.get(5), Double.parseDouble(r.get(6))));
    for (CaseResult c : real.cases()) {
      Metrics m = c.metrics();
      assertEquals(m.top1(), values.get(c.id() + " top1"));
      assertEquals(m.meanAbs255(), values.get(c.id() + " mean_abs_255"));
      assertEquals(m.meanL2(), values.get(c.id() + " mean_l2"));
      assertEquals(m.meanLinf(), values.get(c.id() + " mean_linf"));
      assertEquals(m.seconds(), values.get(c.id() + " seconds"));
      assertEquals(m.correct5(), values.get(c.id() + " correct5"));
    }
    assertFalse(csv.contains("E-") || csv.contains("E1"), "no E notation");
  }

  @Test
  void textThatASpreadsheetWouldRunAsAFormulaIsQuotedAndPrefixedButNumbersStayNumbers() {
    String formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
    RunResult r = Fixtures.hostile();
    List<CaseResult> cases =
        List.of(
            Fixtures.ok(
                formula,
                "+cmd|' /C calc'!A0",
                "fgsm",
                "-2+3",
                Fixtures.bits(8, Fixtures.range(4)),
                Map.of("@SUM(A1:A9)", -0.5, "margin", -1e-7)),
            new CaseResult(
                "\tid",
                "\rm",
                "\npert",
                "x",
                Fixtures.level("\uff1dlevel"),
                Map.of(),
                CaseStatus.FAILED,
                "=1+1 went wrong",
                null));
    RunResult hostile =
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
    String csv = CsvReportWriter.render(hostile);
    assertTrue(
        csv.contains(
            "\r\n\"'"
                + formula.replace("\"", "\"\"")
                + "/+cmd|' /C calc'!A0[-2+3]\",\"'"
                + formula.replace("\"", "\"\"")
                + "\",,\"'+cmd|' /C calc'!A0\",\"'-2+3\",top1,50\r\n"),
        csv);
    assertTrue(
        csv.contains(",\"'@SUM(A1:A9)\",-0.5\r\n"), "a negative number stays a number: " + csv);
    assertTrue(csv.contains(",margin,-0.0000001\r\n"), csv);
    assertTrue(
        csv.contains(
            "\"'\tid\",\"'\rm\",,\"'\npert\",\"'\uff1dlevel\",status,\"'=1+1 went wrong\"\r\n"),
        csv);

    List<List<String>> rows = parse(csv);
    for (List<String> row : rows) {
      for (int i = 0; i < 6; i++) {
        String cell = row.get(i);
        assertTrue(
            cell.isEmpty() || "=+-@\t\r\n\uff1d".indexOf(cell.charAt(0)) < 0,
            "a text cell starts safely: " + row);
      }
    }
    Map<String, String> values =
        rows.stream()
            .collect(java.util.stream.Collectors.toMap(x -> x.get(5), x -> x.get(6), (x, y) -> x));
    assertEquals(-0.5, Double.parseDouble(values.get("'@SUM(A1:A9)")));
    assertEquals(-1e-7, Double.parseDouble(values.get("margin")));
    assertEquals(50.0, Double.parseDouble(values.get("top1")));
  }

  @Test
  void writesAtomically() throws Exception {
    CsvReportWriter w = new CsvReportWriter();
    w.write(new EmptyConfig(), Fixtures.hostile(), dir);
    List<Path> files = w.write(new EmptyConfig(), Fixtures.real(), dir);
    assertEquals(List.of(dir.resolve("results.csv")), files);
    assertFalse(Files.readString(files.get(0)).contains("sev-c"), "replaced");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          Set.of("results.csv"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
    }
  }

  /**
   * RFC 4180: fields split by commas, records by CRLF, quoted fields may hold both and doubled
   * quotes.
   */
  static List<List<String>> parse(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        assertEquals(0, field.length(), "quote inside an unquoted field at " + i);
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r') {
        assertEquals('\n', csv.charAt(i + 1), "bare CR at " + i);
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        assertTrue(c != '\n', "bare LF at " + i);
        field.append(c);
      }
    }
    assertFalse(quoted, "unterminated quote");
    assertTrue(row.isEmpty() && field.length() == 0, "last record must end with CRLF");
    return rows;
  }
}
