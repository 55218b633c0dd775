package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.cli.testplugins.HangOnce;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on real plugins: synthetic data, a CNN trained in the run, the json report. */
class EndToEndTest {
  private static final Path SUITE = Path.of("src/test/resources/suites/e2e.yaml");

  @TempDir Path dir;

  private static RunResult read(Path out) {
    return ResultsJson.read(out.resolve("results.json"));
  }

  /** Everything a case measured except how long it took. */
  private static Map<String, List<Object>> numbers(RunResult r) {
    return r.cases().stream()
        .collect(
            Collectors.toMap(
                CaseResult::id,
                c -> {
                  Metrics m = c.metrics();
                  return List.of(
                      c.status(),
                      m.images(),
                      m.top1(),
                      m.top5(),
                      m.correct1(),
                      m.correct5(),
                      m.meanAbs(),
                      m.meanL2(),
                      m.meanLinf(),
                      m.outcomes());
                }));
  }

  @Test
  void trainedModelScoresFarAboveChanceAndThirdPartyPluginRuns() {
    Path out = dir.resolve("run");
    CliRunner r = CliRunner.run("run", SUITE.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r::toString);
    RunResult res = read(out);
    assertEquals(RunStatus.COMPLETE, res.status());
    Map<String, CaseResult> c =
        res.cases().stream().collect(Collectors.toMap(CaseResult::id, x -> x));
    assertEquals(
        List.of(
            "cnn/none",
            "cnn/gaussian[var=0.01]",
            "cnn/gaussian[var=0.1]",
            "cnn/invert-colours[amount=0.5]",
            "cnn/invert-colours[amount=1.0]"),
        res.cases().stream().map(CaseResult::id).toList());
    double clean = c.get("cnn/none").metrics().top1();
    assertTrue(clean > 60, "10 classes: chance is 10%, the trained CNN got " + clean);
    assertTrue(c.get("cnn/gaussian[var=0.1]").metrics().top1() < clean, "strong noise hurts");
    // amount 0.5 maps every pixel to 0.5: |0.5 - x| on average; amount 1 gives |1 - 2x|, twice that
    double half = c.get("cnn/invert-colours[amount=0.5]").metrics().meanAbs();
    double full = c.get("cnn/invert-colours[amount=1.0]").metrics().meanAbs();
    assertEquals(2 * half, full, 1e-4);
    assertEquals(400, res.suite().images());
    assertEquals("synthetic", res.suite().dataset());
    assertTrue(res.models().get(0).trainAccuracy() > 60);
    assertTrue(
        Files.isRegularFile(out.resolve("models/cnn.params")), "trained weights kept for --resume");
    assertTrue(r.out().contains("cnn/none") && r.out().contains("top-1"), r::toString);
  }

  @Test
  void theSameSeedGivesIdenticalMetricsTwice() {
    CliRunner a = CliRunner.run("run", SUITE.toString(), "--out", dir.resolve("a").toString());
    CliRunner b = CliRunner.run("run", SUITE.toString(), "--out", dir.resolve("b").toString());
    assertEquals(0, a.exitCode(), a::toString);
    assertEquals(0, b.exitCode(), b::toString);
    assertEquals(numbers(read(dir.resolve("a"))), numbers(read(dir.resolve("b"))));
    CliRunner other =
        CliRunner.run("run", SUITE.toString(), "--seed", "6", "--out", dir.resolve("c").toString());
    assertEquals(0, other.exitCode(), other::toString);
    assertTrue(
        !numbers(read(dir.resolve("a"))).equals(numbers(read(dir.resolve("c")))),
        "another seed trains and perturbs differently");
  }

  @Test
  void anInterruptedRunResumesToTheSameResults() throws IOException {
    Path whole = dir.resolve("whole");
    assertEquals(0, CliRunner.run("run", SUITE.toString(), "--out", whole.toString()).exitCode());

    Path broken = dir.resolve("broken");
    Suite suite = new SuiteLoader(PluginRegistry.discover()).load(SUITE);
    class Crash extends RuntimeException {
      private static final long serialVersionUID = 1L;
    }
    RunListener crashAfterTwo =
        new RunListener() {
          int finished;

          @Override
          public void caseFinished(CaseResult result) {
            if (++finished == 2) {
              throw new Crash();
            }
          }
        };
    assertThrows(
        Crash.class,
        () -> new Runner(crashAfterTwo).run(suite, new Runner.Options(broken, false, false)));
    RunResult partial = read(broken);
    assertEquals(RunStatus.RUNNING, partial.status(), "an interrupted run says so");
    assertEquals(2, partial.cases().size(), "finished cases were kept");

    CliRunner resumed =
        CliRunner.run("run", SUITE.toString(), "--out", broken.toString(), "--resume");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertTrue(resumed.out().contains("resuming: 2 finished case(s) kept"), resumed::toString);
    assertTrue(resumed.out().contains("reusing weights trained earlier"), resumed::toString);
    RunResult done = read(broken);
    assertEquals(RunStatus.COMPLETE, done.status());
    assertEquals(numbers(read(whole)), numbers(done));
    assertEquals(read(whole).models(), done.models());
  }

  @Test
  void aKilledProcessResumesToTheSameResults() throws Exception {
    Path longSuite = Path.of("src/test/resources/suites/long.yaml");
    Path whole = dir.resolve("whole");
    assertEquals(
        0, CliRunner.run("run", longSuite.toString(), "--out", whole.toString()).exitCode());

    // The child blocks in its 8th case (hang-once) after writing the 7 before it, and says so by
    // creating the signal file; it is killed there, whatever the machine's speed.
    Path killed = dir.resolve("killed");
    Path signal = dir.resolve("hanging");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                cp,
                "-Dai.djl.offline=true",
                "-D" + HangOnce.SIGNAL + "=" + signal,
                "-Dai.djl.pytorch.num_threads="
                    + System.getProperty("ai.djl.pytorch.num_threads", "2"),
                Main.class.getName(),
                "run",
                longSuite.toString(),
                "--out",
                killed.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (!Files.exists(signal) && p.isAlive() && System.nanoTime() < deadline) {
      p.waitFor(50, TimeUnit.MILLISECONDS);
    }
    assertTrue(
        Files.exists(signal) && p.isAlive(),
        () -> "the child never reached hang-once: " + readLog());
    p.destroyForcibly().waitFor();
    RunResult partial = read(killed);
    assertEquals(RunStatus.RUNNING, partial.status());
    assertEquals(7, partial.cases().size(), "killed in the 8th case: the 7 before it were kept");

    CliRunner resumed =
        CliRunner.run("run", longSuite.toString(), "--out", killed.toString(), "--resume");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertTrue(resumed.out().contains("resuming: 7 finished case(s) kept"), resumed::toString);
    assertEquals(numbers(read(whole)), numbers(read(killed)));
  }

  private String readLog() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void aFailingCaseIsRecordedAndTheExitCodeIs1() throws IOException {
    Path suite = dir.resolve("failing.yaml");
    Files.writeString(
        suite,
        Files.readString(SUITE)
            .replace("  - none\n", "  - none\n  - {id: fail-after, image: 100}\n"));
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", suite.toString(), "--out", out.toString());
    assertEquals(1, r.exitCode(), r::toString);
    RunResult res = read(out);
    assertEquals(RunStatus.FAILED, res.status());
    assertEquals(6, res.cases().size(), "the run went on after the failure");
    CaseResult failed = res.cases().get(1);
    assertEquals("cnn/fail-after", failed.id());
    assertEquals("failing on purpose at image 100", failed.error());
    assertEquals(5, res.cases().stream().filter(CaseResult::ok).count());
    assertTrue(r.out().contains("FAILED: failing on purpose"), r::toString);
  }

  @Test
  void limitEvaluatesTheFirstImagesOnly() {
    Path out = dir.resolve("limited");
    CliRunner r = CliRunner.run("run", SUITE.toString(), "--limit", "50", "--out", out.toString());
    assertEquals(0, r.exitCode(), r::toString);
    RunResult res = read(out);
    assertEquals(50, res.suite().images());
    assertEquals(50, res.suite().limit());
    res.cases().forEach(c -> assertEquals(50, c.metrics().images()));
  }
}
