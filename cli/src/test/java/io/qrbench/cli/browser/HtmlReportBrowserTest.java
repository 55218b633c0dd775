package io.qrbench.cli.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.cli.Main;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** A real run's HTML report, opened in headless Chromium: escaped, error-free, complete. */
class HtmlReportBrowserTest {
  private static final Path SUITE = Path.of("src/test/resources/suites/html-report.yaml");
  private static final String MARKUP = "<script>alert(1)</script>";
  private static final List<String> SECTIONS =
      List.of(
          "summary",
          "scores",
          "study",
          "curves",
          "minimal",
          "classes",
          "examples",
          "models",
          "speed",
          "checks",
          "comparisons",
          "manifest");

  @TempDir Path dir;

  @Test
  void theReportOfARealRunRendersWithoutErrorsAndShowsTheSuiteDescriptionAsText() throws Exception {
    Chromium.requireInstalled(); // before the run, which a skipped test would waste
    Path out = dir.resolve("run");
    StringWriter log = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(log),
            new PrintWriter(log),
            "run",
            SUITE.toString(),
            "--out",
            out.toString());
    assertEquals(Main.CHECK_FAILED, code, log::toString); // one of the two checks fails on purpose
    RunResult run = ResultsJson.read(out.resolve("results.json"));
    long perturbationLevels =
        run.cases().stream().map(c -> c.perturbation() + "\0" + c.level()).distinct().count();
    assertEquals(5, perturbationLevels, "none, gaussian x 2, fgsm x 2");
    assertEquals(2, run.models().size());
    Path index = out.resolve("index.html");
    assertTrue(Files.isRegularFile(index), () -> "no index.html in " + out + "\n" + log);

    try (Chromium browser = Chromium.start()) {
      browser.open(index);
      assertEquals(Optional.empty(), browser.alert(), "the suite description ran as a script");
      browser.screenshot(
          Path.of(
              "target", "screenshots", "report.png")); // before the checks: it shows what failed
      assertEquals(List.of(), browser.consoleErrors(), "console errors");
      WebDriver page = browser.driver();
      assertEquals(
          "html-report",
          page.findElement(By.id("suite-name")).getDomProperty("textContent").strip());
      assertEquals(
          MARKUP,
          page.findElement(By.cssSelector("p.description")).getDomProperty("textContent").strip());
      assertEquals(
          perturbationLevels, page.findElements(By.cssSelector("#study-table tr.case-row")).size());
      for (String perturbation : List.of("gaussian", "fgsm")) {
        List<WebElement> charts =
            page.findElements(By.cssSelector("svg.chart[data-chart='" + perturbation + "']"));
        assertFalse(charts.isEmpty(), "no svg.chart[data-chart=" + perturbation + "]");
        WebElement chart = charts.get(0);
        List<WebElement> series =
            chart.findElements(By.cssSelector("g.series[data-model] path.line"));
        assertEquals(
            run.models().size(),
            series.size(),
            perturbation + ": one line per model expected, found " + series.size());
      }
      List<WebElement> pass = page.findElements(By.cssSelector("#checks-table tr.check-pass"));
      List<WebElement> fail = page.findElements(By.cssSelector("#checks-table tr.check-fail"));
      assertEquals(1, pass.size(), "one check held");
      assertEquals(1, fail.size(), "one check failed");
      assertTrue(fail.get(0).getText().contains("TWN.clean.top1 > 100"), fail.get(0).getText());
      String red = fail.get(0).findElement(By.cssSelector("td.verdict")).getCssValue("color");
      String green = pass.get(0).findElement(By.cssSelector("td.verdict")).getCssValue("color");
      assertTrue(reddish(red), "a failed check is shown red, was " + red);
      assertFalse(reddish(green), "a passed check is not red, was " + green);
      assertEquals(
          1,
          page.findElements(By.cssSelector("table.comparison-table[data-a='FP'][data-b='TWN']"))
              .size(),
          "FP and TWN compared");
      assertEquals(
          perturbationLevels,
          page.findElements(By.cssSelector("table.comparison-table tr.comparison-row")).size(),
          "one row per case");
      for (String id : SECTIONS) {
        assertFalse(page.findElements(By.id(id)).isEmpty(), "no section #" + id);
      }
      readableAt800(browser, run);
    }
  }

  /**
   * The additions of issue 22 in a real browser: bands, the recorded predictions and images, and
   * the study table at 800 px, where the page must not scroll sideways and the perturbation column
   * stays in view while the table scrolls.
   */
  private static void readableAt800(Chromium browser, RunResult run) throws Exception {
    WebDriver page = browser.driver();
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) page;
    assertEquals(
        run.models().size(),
        page.findElements(By.cssSelector("svg.chart[data-chart='fgsm'] path.band")).size(),
        "one 95% band per model");
    assertEquals(
        run.models().size(),
        page.findElements(By.cssSelector("table.confusion-matrix")).size(),
        "a confusion matrix per model from the clean predictions");
    List<WebElement> images = page.findElements(By.cssSelector("#examples-table img"));
    assertFalse(images.isEmpty(), "example images");
    for (WebElement img : images) {
      Number w = (Number) js.executeScript("return arguments[0].naturalWidth", img);
      assertTrue(w.intValue() > 0, "an example image that does not decode");
    }
    page.manage().window().setSize(new org.openqa.selenium.Dimension(800, 1000));
    Number inner = (Number) js.executeScript("return window.innerWidth");
    assertTrue(inner.intValue() <= 800, "the window did not narrow: " + inner);
    browser.screenshot(Path.of("target", "screenshots", "report-800.png"));
    Number overflow =
        (Number)
            js.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertTrue(overflow.intValue() <= 0, "the page scrolls sideways by " + overflow + " px");
    WebElement scroll = page.findElement(By.cssSelector("#study .scroll"));
    WebElement first = page.findElement(By.cssSelector("#study-table td.perturbation"));
    js.executeScript("arguments[0].scrollLeft = 10000", scroll);
    Number scrolled = (Number) js.executeScript("return arguments[0].scrollLeft", scroll);
    Number gap =
        (Number)
            js.executeScript(
                "return arguments[0].getBoundingClientRect().left"
                    + " - arguments[1].getBoundingClientRect().left",
                first,
                scroll);
    assertTrue(
        Math.abs(gap.doubleValue()) < 1.5,
        "the perturbation column scrolled away (table scrolled by "
            + scrolled
            + " px, column "
            + gap
            + " px from the edge)");
  }

  /** An rgb()/rgba() colour whose red channel clearly dominates. */
  private static boolean reddish(String css) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+),\\s*(\\d+),\\s*(\\d+)").matcher(css);
    if (!m.find()) {
      throw new AssertionError("not an rgb colour: " + css);
    }
    int r = Integer.parseInt(m.group(1));
    int g = Integer.parseInt(m.group(2));
    int b = Integer.parseInt(m.group(3));
    return r > 120 && r > g + 50 && r > b + 50;
  }
}
