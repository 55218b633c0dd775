package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.RunResult;
import io.qrbench.spi.EmptyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportWriterTest {
  private static final Pattern SVG =
      Pattern.compile("<svg class=\"chart\"[^>]*>.*?</svg>", Pattern.DOTALL);
  private static final Pattern ROW =
      Pattern.compile("<tr class=\"case-row[^\"]*\" data-case=\"([^\"]*)\">");

  @TempDir Path dir;

  /**
   * Renders the real run to target/report-robustness-1000/ for a person (or a browser test) to look
   * at.
   */
  @Test
  void rendersTheRealRunForInspection() throws Exception {
    Path out = Path.of("target", "report-robustness-1000");
    Files.createDirectories(out);
    RunResult real = Fixtures.real();
    new HtmlReportWriter().write(new EmptyConfig(), real, out);
    new CsvReportWriter().write(new EmptyConfig(), real, out);
    new MarkdownReportWriter().write(new EmptyConfig(), real, out);
    new HtmlReportWriter()
        .write(
            new EmptyConfig(),
            Fixtures.hostile(),
            Files.createDirectories(Path.of("target", "report-hostile")));
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.length() < 1_000_000, "size " + html.length());
    for (String id :
        List.of(
            "summary",
            "study",
            "curves",
            "minimal",
            "models",
            "speed",
            "checks",
            "comparisons",
            "manifest")) {
      assertTrue(html.contains("<section id=\"" + id + "\""), id);
    }
    assertTrue(html.contains("<h1 id=\"suite-name\">robustness-fp-vs-twn</h1>"));
  }

  @Test
  void studyTableHasOneRowPerPerturbationAndLevelInRunOrder() {
    RunResult real = Fixtures.real();
    List<String> expected =
        new ArrayList<>(
            new LinkedHashSet<>(
                real.cases().stream().map(c -> c.perturbation() + "|" + c.level()).toList()));
    assertEquals(40, expected.size());
    assertEquals(expected, all(ROW, HtmlReportWriter.render(real)));
    assertEquals(
        List.of(
            "none|",
            "big|",
            "sev-c|severity=1",
            "sev-c|severity=2",
            "sev-c|severity=3",
            "pgd|epsilon=0.01",
            "pgd|epsilon=0.02",
            "speckle|",
            "minimal|"),
        all(ROW, HtmlReportWriter.render(Fixtures.hostile())));
  }

  @Test
  void failedCasesShowTheirErrorEscaped() {
    String html = HtmlReportWriter.render(Fixtures.hostile());
    assertFalse(html.contains("<img"), "raw error markup leaked");
    assertTrue(html.contains("boom &lt;img src=x onerror=alert(1)&gt;, &quot;quoted&quot;"));
    assertTrue(html.contains("class=\"failed\""));
  }

  @Test
  void everyStringFromTheResultsIsEscaped() {
    String html = HtmlReportWriter.render(Fixtures.hostile());
    assertEquals(1, count(html, "<script"), "only the report's own script");
    assertFalse(html.contains("alert(1)</script>"));
    assertTrue(html.contains("<h1 id=\"suite-name\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assertTrue(
        html.contains(
            "<title>&lt;script&gt;alert(1)&lt;/script&gt; \u2014 qrbench report</title>"));
    assertTrue(html.contains("data-model=\"FP &quot;base&quot; &amp; co\""), "attribute");
    assertTrue(html.contains(">FP &quot;base&quot; &amp; co<"), "text");
    assertTrue(html.contains("data-model=\"TWN&#39;&lt;b&gt;\""));
    assertFalse(html.contains("TWN'<b>"));
    assertFalse(html.contains("<i>more</i>"));
    assertFalse(html.contains("<x>"));
    // the script is the static asset, nothing interpolated
    String script = between(html, "<script>", "</script>");
    assertFalse(script.contains("FP") || script.contains("alert"));
  }

  @Test
  void nothingIsFetchedFromTheNetwork() {
    for (RunResult r : List.of(Fixtures.real(), Fixtures.hostile())) {
      String html = HtmlReportWriter.render(r);
      // the writer quotes every attribute and escapes quotes in values, so this finds every real
      // one
      Matcher m =
          Pattern.compile("(?i)\\s(?:src|href|xlink:href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
      while (m.find()) {
        String target = m.group(1);
        assertTrue(target.startsWith("#") || target.equals("data:,"), "reference to " + target);
      }
      assertFalse(Pattern.compile("(?i)url\\(\\s*['\"]?\\s*(https?:|//)").matcher(html).find());
      assertFalse(Pattern.compile("(?i)@import").matcher(html).find());
      assertFalse(html.contains("http://") || html.contains("https://"));
    }
  }

  @Test
  void oneChartPerSweptPerturbationWithOneLinePerModel() {
    String html = HtmlReportWriter.render(Fixtures.real());
    List<String> svgs = all(SVG, html, 0);
    List<String> names = svgs.stream().map(s -> attr(s, "data-chart")).toList();
    assertEquals(
        List.of(
            "gaussian-c",
            "poisson-c",
            "salt-and-pepper-c",
            "speckle-c",
            "fgsm",
            "bim",
            "pgd",
            "pgd-l2",
            "pgd@FP"),
        names);
    for (String svg : svgs) {
      assertEquals(2, count(svg, "<path class=\"line\""), attr(svg, "data-chart"));
      assertEquals(2, count(svg, "<path class=\"band m"), "one 95% band per model");
      assertTrue(
          svg.contains("role=\"img\"") && svg.contains("aria-label=\"") && svg.contains("<title>"));
      assertEquals(
          List.of("FP", "TWN"),
          all(Pattern.compile("<g class=\"series m\\d\" data-model=\"([^\"]*)\""), svg));
    }
    String severity = between(html, "id=\"curves-severity\"", "</div>");
    assertEquals(4, count(severity, "<svg class=\"chart\""));
    // the hostile run: sev-c (B has a gap) and pgd, names escaped in legend and lines
    List<String> hostile = all(SVG, HtmlReportWriter.render(Fixtures.hostile()), 0);
    assertEquals(2, hostile.size());
    for (String svg : hostile) {
      assertEquals(2, count(svg, "<path class=\"line\""));
      assertTrue(svg.contains("data-model=\"TWN&#39;&lt;b&gt;\""));
    }
    // B's line breaks where its severity=2 case failed: two pieces, two dots
    String bLine = between(hostile.get(0), "data-model=\"TWN&#39;&lt;b&gt;\"><path", "</g>");
    assertEquals(2, count(attr(bLine, "d"), "M"));
    assertEquals(2, count(bLine, "<circle"));
  }

  @Test
  void chartCoordinatesAreFiniteNumbers() {
    for (RunResult r : List.of(Fixtures.real(), Fixtures.hostile())) {
      String html = HtmlReportWriter.render(r);
      List<String> svgs = new ArrayList<>(all(SVG, html, 0));
      svgs.addAll(all(Pattern.compile("<svg class=\"ci-plot\".*?</svg>", Pattern.DOTALL), html, 0));
      assertFalse(svgs.isEmpty());
      Pattern coord = Pattern.compile(" (x|y|x1|x2|y1|y2|cx|cy|r|d|transform)=\"([^\"]*)\"");
      for (String svg : svgs) {
        assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
        Matcher m = coord.matcher(svg);
        int found = 0;
        while (m.find()) {
          String value = m.group(2).replaceAll("translate|rotate|[MLZ(),]", " ").trim();
          for (String number : value.split("\\s+")) {
            assertTrue(Double.isFinite(Double.parseDouble(number)), m.group());
            found++;
          }
        }
        assertTrue(found > 0);
      }
    }
  }

  @Test
  void minimalTableShowsTheAttackMeasurements() {
    String html = HtmlReportWriter.render(Fixtures.hostile());
    String table = between(html, "<table id=\"minimal-table\"", "</table>");
    assertEquals(2, count(table, "<tr class=\"minimal-row\""));
    String a = between(table, "data-model=\"FP &quot;base&quot; &amp; co\"", "</tr>");
    assertTrue(a.contains("data-metric=\"mean_abs\" data-value=\"0.01\">0.01000<"), a);
    assertTrue(a.contains("data-metric=\"mean_abs_255\" data-value=\"2.55\">2.550<"), a);
    assertTrue(a.contains("data-metric=\"mean_l2\" data-value=\"0.5\">0.5000<"), a);
    assertTrue(a.contains("data-metric=\"mean_linf\" data-value=\"0.02\">0.02000<"), a);
    assertTrue(a.contains("data-metric=\"fooled\" data-value=\"0.75\">75.0%<"), a);
    assertTrue(a.contains("data-metric=\"never_fooled\" data-value=\"2\">2<"), a);
    String b = between(table, "data-model=\"TWN&#39;&lt;b&gt;\"", "</tr>");
    assertTrue(b.contains("data-metric=\"never_fooled\" data-value=\"4\">4<"), b);
    String real =
        between(
            HtmlReportWriter.render(Fixtures.real()), "<table id=\"minimal-table\"", "</table>");
    assertTrue(
        real.contains("data-metric=\"mean_abs_255\" data-value=\"0.7847392992352252\">0.785<"),
        real);
    assertTrue(real.contains("data-metric=\"never_fooled\" data-value=\"0\">0<"), real);
  }

  @Test
  void comparisonsCountDiscordantImagesFromTheBitSets() {
    String html = HtmlReportWriter.render(Fixtures.hostile());
    String section = between(html, "<section id=\"comparisons\"", "</section>");
    String none = between(section, "data-case=\"none|\"", "</tr>");
    assertTrue(
        none.contains("class=\"num both\">2<")
            && none.contains("class=\"num only-a\">2<")
            && none.contains("class=\"num only-b\">2<")
            && none.contains("class=\"num neither\">2<"),
        none);
    assertTrue(none.contains(">not significant<"));
    // A right on all 64, B on none: 64 discordant pairs, all one way
    assertTrue(section.contains("<tr class=\"comparison-row significant\" data-case=\"big|\">"));
    String big = between(section, "data-case=\"big|\"", "</tr>");
    assertTrue(
        big.contains("class=\"num only-a\">64<") && big.contains("class=\"num only-b\">0<"), big);
    assertTrue(big.contains(">\u2212100.0<"), big);
    // old results without outcomes, and a failed case (skipped)
    assertTrue(
        between(section, "data-case=\"speckle|\"", "</tr>").contains("no per-image outcomes"));
    assertFalse(section.contains("data-case=\"sev-c|severity=2\""));
    assertTrue(
        section.contains(
            "Is TWN&#39;&lt;b&gt;\u2019s accuracy different from FP &quot;base&quot; &amp; co\u2019s?"));
    assertTrue(section.contains("Yes in 1 of the 6 cases"), section);
    assertTrue(section.contains("more accurate in 0 and less accurate in 1"));
  }

  @Test
  void comparisonsShowHolmAdjustedPValuesBesideEachCasesOwn() {
    String html = HtmlReportWriter.render(Fixtures.real());
    String section = between(html, "<section id=\"comparisons\"", "</section>");
    java.util.regex.Matcher rows =
        java.util.regex.Pattern.compile(
                "class=\"num p\" data-value=\"([^\"]+)\".*?class=\"num holm-p\" data-value=\"([^\"]+)\"")
            .matcher(section);
    List<Double> raw = new java.util.ArrayList<>();
    List<Double> shown = new java.util.ArrayList<>();
    while (rows.find()) {
      raw.add(Double.parseDouble(rows.group(1)));
      shown.add(Double.parseDouble(rows.group(2)));
    }
    assertEquals(39, raw.size(), "one FP-TWN row per case but the minimal attack's");
    double[] holm =
        io.qrbench.reports.stats.Holm.adjust(
            raw.stream().mapToDouble(Double::doubleValue).toArray());
    long holmSignificant = 0;
    for (int i = 0; i < holm.length; i++) {
      assertEquals(holm[i], shown.get(i), 1e-12, "row " + i);
      assertTrue(shown.get(i) >= raw.get(i), "an adjusted p is never below its own");
      holmSignificant += holm[i] < 0.05 ? 1 : 0;
    }
    assertEquals(holmSignificant, count(section, "class=\"verdict-holm significant\""));
    assertTrue(
        holmSignificant < 18,
        "Holm keeps fewer than the 18 cases significant on their own: " + holmSignificant);
    assertTrue(
        section.contains(
            "Yes in 18 of the 39 cases (significant at 0.05, each case on its own; "
                + holmSignificant
                + " after Holm\u2019s correction for testing 39 cases)"),
        section);
  }

  @Test
  void resultsWithoutOutcomesSaySoInsteadOfFailing() {
    RunResult r = Fixtures.real();
    RunResult old =
        new RunResult(
            r.schema(),
            r.suite(),
            r.environment(),
            r.status(),
            r.startedAt(),
            r.finishedAt(),
            r.wallSeconds(),
            r.models(),
            r.cases().stream()
                .map(
                    c ->
                        new io.qrbench.result.CaseResult(
                            c.id(),
                            c.model(),
                            c.perturbation(),
                            c.perturbationId(),
                            c.level(),
                            c.params(),
                            c.status(),
                            c.error(),
                            new io.qrbench.result.Metrics(
                                c.metrics().images(),
                                c.metrics().top1(),
                                c.metrics().top5(),
                                c.metrics().correct1(),
                                c.metrics().correct5(),
                                c.metrics().meanAbs(),
                                c.metrics().meanAbs255(),
                                c.metrics().meanL2(),
                                c.metrics().meanLinf(),
                                c.metrics().seconds(),
                                c.metrics().imagesPerSecond(),
                                null,
                                c.metrics().extra())))
                .toList(),
            r.checks(),
            r.speed());
    String html = HtmlReportWriter.render(old);
    String section = between(html, "<section id=\"comparisons\"", "</section>");
    assertTrue(section.contains("no per-image outcomes"));
    assertEquals(39, count(section, "comparison-row no-outcomes"));
    assertEquals(0, count(html, "class=\"comparison-row significant\""));
  }

  @Test
  void realComparisonsMatchTheOutcomes() {
    String html = HtmlReportWriter.render(Fixtures.real());
    String clean =
        between(
            between(html, "<section id=\"comparisons\"", "</section>"),
            "data-case=\"none|\"",
            "</tr>");
    // FP 814 right, TWN 817: the table must add up to 1000
    int both = number(clean, "both");
    int onlyA = number(clean, "only-a");
    int onlyB = number(clean, "only-b");
    int neither = number(clean, "neither");
    assertEquals(1000, both + onlyA + onlyB + neither);
    assertEquals(814, both + onlyA);
    assertEquals(817, both + onlyB);
    assertTrue(
        html.contains(
            "<p class=\"answer\" data-a=\"FP\" data-b=\"TWN\"><strong>Is TWN\u2019s accuracy "
                + "different from FP\u2019s? </strong>"));
  }

  @Test
  void checksAndSpeedAreListed() {
    String html = HtmlReportWriter.render(Fixtures.hostile());
    assertEquals(1, count(html, "<tr class=\"check-pass\">"));
    assertEquals(1, count(html, "<tr class=\"check-fail\">"));
    assertTrue(html.contains("62.5 &gt; 90 &lt;fails&gt;"));
    assertEquals(2, count(html, "<tr class=\"speed-row\""));
    String speedSection = between(html, "<section id=\"speed\"", "</section>");
    assertTrue(speedSection.contains("<th scope=\"col\">Backend</th>"), speedSection);
    assertTrue(speedSection.contains("<td class=\"backend\">onnxruntime int8</td>"), speedSection);
    assertTrue(html.contains("666.7 \u00b1 12.5"));
    assertTrue(html.contains("118 MiB"));
    assertTrue(html.contains("40.6 M"), "MACs");
    String real = HtmlReportWriter.render(Fixtures.real());
    assertTrue(
        between(real, "<section id=\"speed\"", "</section>").contains("Speed was not measured"));
    assertTrue(between(real, "<section id=\"checks\"", "</section>").contains("No checks"));
    assertTrue(real.contains("<pre id=\"suite-yaml\">name: robustness-fp-vs-twn\n"));
  }

  @Test
  void outputIsDeterministicAndWrittenAtomically() throws Exception {
    HtmlReportWriter w = new HtmlReportWriter();
    List<Path> files = w.write(new EmptyConfig(), Fixtures.hostile(), dir);
    assertEquals(List.of(dir.resolve("index.html")), files);
    String first = Files.readString(files.get(0));
    assertEquals(first, HtmlReportWriter.render(Fixtures.hostile()));
    w.write(new EmptyConfig(), Fixtures.real(), dir);
    String second = Files.readString(files.get(0));
    assertTrue(second.contains("robustness-fp-vs-twn") && !second.contains("alert(1)"), "replaced");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          Set.of("index.html"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
    }
  }

  // --- small HTML helpers: the page is generated, so regular expressions are enough

  static List<String> all(Pattern p, String s) {
    return all(p, s, 1);
  }

  static List<String> all(Pattern p, String s, int group) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(s);
    while (m.find()) {
      out.add(m.group(group));
    }
    return out;
  }

  static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  static String between(String s, String start, String end) {
    int i = s.indexOf(start);
    assertTrue(i >= 0, "missing " + start);
    int j = s.indexOf(end, i + start.length());
    assertTrue(j >= 0, "missing " + end + " after " + start);
    return s.substring(i, j);
  }

  static String attr(String element, String name) {
    Matcher m = Pattern.compile(" " + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(element);
    assertTrue(m.find(), name);
    return m.group(1);
  }

  private static int number(String row, String cls) {
    return Integer.parseInt(
        between(row, "class=\"num " + cls + "\">", "<")
            .substring(("class=\"num " + cls + "\">").length()));
  }
}
