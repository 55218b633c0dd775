package io.qrbench.cli.browser;

import io.qrbench.testing.MachineRequirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for browser tests, driven through the system's ChromeDriver. Only the Debian
 * binaries are used, named explicitly, so Selenium Manager never looks for (or downloads) a browser
 * or a driver. Missing binaries skip the browser tests with the reason shown (Java and Maven
 * suffice for {@code mvn -B verify}); in CI, where {@code .ci/run} installs them, they fail.
 */
public final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  // Selenium warns that it has no CDP bindings for this Chromium version; only the raw
  // screenshot commands are used, which need none. Held here so the setting is not collected.
  private static final Logger CDP_WARNING =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private final ChromeDriver driver;
  private final List<LogEntry> console = new ArrayList<>();

  private Chromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Whether the browser and its driver are installed. */
  public static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /** Skips the calling test (fails it in CI) unless the browser and its driver are installed. */
  public static void requireInstalled() {
    for (Path p : List.of(BROWSER, DRIVER)) {
      MachineRequirement.require(
          Files.isExecutable(p),
          p + " is missing: the browser tests need Debian's Chromium and ChromeDriver",
          "apt-get install chromium chromium-driver (or run .ci/run) to run them");
    }
  }

  /** Starts a headless browser with a 1400x1000 window and the console recorded. */
  public static Chromium start() {
    requireInstalled();
    CDP_WARNING.setLevel(Level.SEVERE);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs); // goog:loggingPrefs
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(Path.of("target", "chromedriver.log").toFile())
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return new Chromium(driver);
  }

  /** The driver, for finding elements. */
  public WebDriver driver() {
    return driver;
  }

  /**
   * Opens a local file through {@code file://} and waits for it to load; the console starts afresh.
   */
  public void open(Path file) {
    driver.manage().logs().get(LogType.BROWSER); // drop what earlier pages logged
    console.clear();
    driver.get(file.toAbsolutePath().toUri().toString());
  }

  /**
   * Every console entry since the last {@link #open} (the browser hands each one over only once).
   */
  public List<LogEntry> console() {
    console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    return List.copyOf(console);
  }

  /** The console entries at level SEVERE: {@code console.error} and uncaught errors. */
  public List<LogEntry> consoleErrors() {
    return console().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .toList();
  }

  /** The text of an open alert, confirm or prompt dialog, if there is one. */
  public Optional<String> alert() {
    try {
      return Optional.of(driver.switchTo().alert().getText());
    } catch (NoAlertPresentException e) {
      return Optional.empty();
    }
  }

  /** Saves a PNG of the whole page, not just the window, creating parent folders. */
  public Path screenshot(Path png) throws IOException {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> size =
        (Map<String, Object>) metrics.getOrDefault("cssContentSize", metrics.get("contentSize"));
    Map<String, Object> clip =
        Map.of(
            "x",
            0,
            "y",
            0,
            "scale",
            1,
            "width",
            ((Number) size.get("width")).doubleValue(),
            "height",
            ((Number) size.get("height")).doubleValue());
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
    return png;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
