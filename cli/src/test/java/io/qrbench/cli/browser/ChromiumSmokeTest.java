package io.qrbench.cli.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/** Proves the browser set-up itself: a page loads, its SVG is found, its console is read. */
class ChromiumSmokeTest {
  private static Chromium browser;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    if (Chromium.installed()) {
      browser = Chromium.start();
    }
  }

  @BeforeEach
  void installed() {
    Chromium.requireInstalled(); // skipped per test, so that Surefire counts and shows it
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  private static String page(String script) {
    return """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>smoke</title></head>
        <body>
          <h1 id="title">smoke</h1>
          <svg class="chart" data-chart="demo" width="200" height="100" viewBox="0 0 200 100">
            <polyline class="series" points="0,90 100,40 200,10" fill="none" stroke="black"/>
          </svg>
          <script>%s</script>
        </body></html>
        """
        .formatted(script);
  }

  @Test
  void findsTheSvgAndSeesConsoleLogWithoutErrors() throws Exception {
    Path html = dir.resolve("ok.html");
    Files.writeString(html, page("console.log('qrbench smoke: hello');"));
    browser.open(html);
    WebElement svg = browser.driver().findElement(By.cssSelector("svg.chart[data-chart=demo]"));
    assertEquals(1, svg.findElements(By.cssSelector(".series")).size());
    List<LogEntry> console = browser.console();
    assertTrue(
        console.stream().anyMatch(e -> e.getMessage().contains("qrbench smoke: hello")),
        console::toString);
    assertEquals(List.of(), browser.consoleErrors());
    assertTrue(browser.alert().isEmpty());
    Path png = browser.screenshot(Path.of("target", "screenshots", "smoke.png"));
    assertTrue(Files.size(png) > 1000, "a PNG was written");
  }

  @Test
  void aConsoleErrorIsDetected() throws Exception {
    Path html = dir.resolve("error.html");
    Files.writeString(html, page("console.error('qrbench smoke: broken');"));
    browser.open(html);
    List<LogEntry> errors = browser.consoleErrors();
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).getMessage().contains("qrbench smoke: broken"), errors::toString);
  }
}
