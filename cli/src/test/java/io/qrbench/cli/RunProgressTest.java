package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.runner.RunListener.PlannedCase;
import io.qrbench.runner.Runner;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole run's progress and ETA, and how it is shown with and without a terminal (22.2). */
class RunProgressTest {
  @TempDir Path dir;

  private static final List<PlannedCase> PLAN =
      List.of(
          new PlannedCase("m/none", 100, 1),
          new PlannedCase("m/gaussian", 100, 1),
          new PlannedCase("m/pgd", 100, 32)); // 3,400 passes in all, 3,200 of them the attack's

  @Test
  void workIsImagesWeightedByTheirCostAndTheEtaFollowsTheMeasuredSpeed() {
    AtomicLong now = new AtomicLong();
    RunProgress p = new RunProgress(PLAN, 2, now::get);
    assertEquals(5, p.totalCases());
    assertEquals("case 2/5, 0% done, ETA unknown", p.summary());

    p.caseStarted("m/none");
    now.addAndGet(1_000_000_000L); // 1 s for 100 passes
    p.imagesDone(100);
    assertEquals(3, p.caseNumber());
    assertEquals(100.0 / 3400, p.fraction(), 1e-12);
    assertEquals(33.0, p.etaSeconds(), 1e-9, "3,300 passes left at 100 per second");
    p.caseFinished();

    p.caseStarted("m/gaussian");
    now.addAndGet(1_000_000_000L);
    p.imagesDone(50);
    p.caseFinished(); // failed halfway: its other images will not run
    assertEquals(200.0 / 3400, p.fraction(), 1e-12);
    assertEquals("case 4/5, 6% done, ETA 32 s", p.summary(), "2 s for 200: 3,200 left = 32 s");

    p.caseStarted("m/pgd");
    now.addAndGet(4_000_000_000L);
    p.imagesDone(25); // 800 passes in 4 s: the run is now at 1,000 per 6 s
    assertEquals(1000.0 / 3400, p.fraction(), 1e-12);
    assertEquals(6.0 / 1000 * 2400, p.etaSeconds(), 1e-9);
    assertEquals("case 5/5, 29% done, ETA 14 s", p.summary());
    p.imagesDone(75);
    p.caseFinished();
    assertEquals(1.0, p.fraction());
    assertEquals(0.0, p.etaSeconds());
  }

  @Test
  void etaReadsLikeAPersonWouldSayIt() {
    assertEquals("unknown", RunProgress.eta(-1));
    assertEquals("40 s", RunProgress.eta(40.2));
    assertEquals("12 min", RunProgress.eta(12 * 60 + 10));
    assertEquals("2 h 05 min", RunProgress.eta(2 * 3600 + 5 * 60));
  }

  @Test
  void withoutATerminalAProgressLineIsLoggedPeriodicallyUntilClosed() throws Exception {
    StringWriter text = new StringWriter();
    ConsoleListener l = new ConsoleListener(new PrintWriter(text), false, 40);
    l.runPlanned(PLAN, 0);
    l.caseStarted("m/none", 100);
    l.imagesDone(40);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!text.toString().contains("progress: case 1/3, 1% done")
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    l.close();
    String said = text.toString();
    assertTrue(said.contains("progress: case 1/3, 1% done, ETA "), said);
    Thread.sleep(200);
    assertEquals(said, text.toString(), "nothing is logged once the listener is closed");
  }

  /**
   * The bar is drawn at a width asked once: the library's own consumer would build a JLine terminal
   * and ask its width ({@code stty}) at every redraw.
   */
  @Test
  void barsAskTheTerminalNothingWhileTheyRedraw() throws Exception {
    StringWriter text = new StringWriter();
    try (ConsoleListener l = new ConsoleListener(new PrintWriter(text), true, 40)) {
      l.runPlanned(PLAN, 0);
      l.caseStarted("m/none", 100);
      for (int i = 0; i < 4; i++) {
        l.imagesDone(10);
        Thread.sleep(300); // the bar redraws every 250 ms
      }
      l.caseFinished(
          new io.qrbench.result.CaseResult(
              "m/none",
              "m",
              "none",
              "none",
              null,
              java.util.Map.of(),
              io.qrbench.result.CaseStatus.FAILED,
              "stopped",
              null));
    }
    Field terminal =
        Class.forName("me.tongfei.progressbar.TerminalUtils").getDeclaredField("terminal");
    terminal.setAccessible(true);
    assertNull(terminal.get(null), "no JLine terminal was made");
    assertTrue(text.toString().contains("m/none"), text.toString());
  }

  /** The runner announces every pending case with its cost before the first model is ready. */
  @Test
  void theRunnerAnnouncesItsCasesWithTheirCosts() throws Exception {
    Path suiteFile =
        Files.writeString(
            dir.resolve("s.yaml"),
            """
            name: progress
            seed: 1
            dataset: {id: synthetic, train-size: 100, test-size: 32}
            models:
              - name: cnn
                model: {id: small-cnn, width: 4}
                train: {epochs: 1}
            perturbations:
              - none
              - id: pgd
                steps: 3
            reports: [json]
            """);
    Suite suite = new SuiteLoader(PluginRegistry.discover()).load(suiteFile);
    List<List<PlannedCase>> planned = new ArrayList<>();
    List<String> order = new ArrayList<>();
    new Runner(
            new io.qrbench.runner.RunListener() {
              @Override
              public void runPlanned(List<PlannedCase> pending, int finished) {
                planned.add(pending);
                order.add("planned " + finished);
              }

              @Override
              public void modelReady(io.qrbench.result.ModelResult m) {
                order.add("ready");
              }
            })
        .run(suite, new Runner.Options(dir.resolve("out"), false, false));
    assertEquals(List.of("planned 0", "ready"), order);
    assertEquals(
        List.of(
            new PlannedCase("cnn/none", 32, 1),
            // pgd's own estimate: the evaluation's pass, then per restart a start and 3 steps, each
            // a forward and a backward pass (3 forward passes' worth)
            new PlannedCase("cnn/pgd", 32, 1 + 1 * (3.0 * 3 + 3))),
        planned.get(0));
    assertFalse(planned.get(0).isEmpty());
  }
}
