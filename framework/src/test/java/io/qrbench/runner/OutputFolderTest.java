package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.io.FullDisk;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.TinyLinearModel;
import io.qrbench.util.FolderLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's output folder: locked while it runs, cleaned of dead writes, safe on a full disk; what a
 * transfer loads.
 */
class OutputFolderTest {
  private static final String PID = Long.toString(ProcessHandle.current().pid());

  @TempDir Path dir;

  private Suite suite(String perturbations) {
    String yaml =
        """
        name: folder-test
        seed: 11
        dataset: {id: tiny, size: 90}
        models:
          - {name: A, model: tiny-linear, train: {epochs: 2, batch-size: 16, learning-rate: 0.1}}
          - {name: B, model: tiny-linear, train: {epochs: 1, batch-size: 16, learning-rate: 0.1}}
        perturbations:
        %s
        batch-size: 32
        """
            .formatted(perturbations);
    return new SuiteLoader(FakePlugins.registry()).parse("folder-test.yaml", yaml, dir);
  }

  private static RunResult run(Suite s, Path out, boolean resume, RunListener listener) {
    return new Runner(listener).run(s, new Runner.Options(out, resume, false));
  }

  /** Thrown by a listener to stop a run part way, as a kill would. */
  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static RunListener crashAfter(int cases) {
    return new RunListener() {
      int finished;

      @Override
      public void caseFinished(CaseResult r) {
        if (++finished == cases) {
          throw new Crash();
        }
      }
    };
  }

  private static RunListener saying(List<String> said) {
    return new RunListener() {
      @Override
      public void info(String message) {
        said.add(message);
      }
    };
  }

  /** Everything a case measured but its time. */
  private static Map<String, List<Object>> numbers(RunResult r) {
    return r.cases().stream()
        .collect(
            Collectors.toMap(
                CaseResult::id,
                c -> {
                  Metrics m = c.metrics();
                  return List.of(
                      c.status(),
                      m.top1(),
                      m.top5(),
                      m.meanAbs(),
                      m.meanL2(),
                      m.meanLinf(),
                      m.outcomes(),
                      m.extra());
                }));
  }

  private static List<String> temporaries(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).filter(p -> p.endsWith(".tmp")).toList();
    }
  }

  @Test
  void aRunHoldsItsFolderSoASecondRunOrResumeIsRefused() {
    Suite s = suite("  - none");
    Path out = dir.resolve("out");
    List<String> refused = new ArrayList<>();
    RunResult first =
        run(
            s,
            out,
            false,
            new RunListener() {
              @Override
              public void caseFinished(CaseResult r) {
                for (boolean resume : new boolean[] {true, false}) {
                  refused.add(
                      assertThrows(
                              ConfigException.class,
                              () -> run(s, out, resume, new RunListener() {}))
                          .getMessage());
                }
              }
            });
    assertEquals(4, refused.size(), "two cases, each saw a resume and a fresh run refused");
    for (String m : refused) {
      assertTrue(
          m.startsWith(
              out.toAbsolutePath()
                  + " is in use by 'qrbench run folder-test.yaml' (pid "
                  + PID
                  + " on "),
          m);
      assertTrue(
          m.endsWith("; wait for it to finish (or stop it), or pass --out to write elsewhere"), m);
    }
    assertEquals(RunStatus.COMPLETE, first.status());
    assertEquals(
        first,
        ResultsJson.read(out.resolve(Runner.RESULTS_FILE)),
        "the refused runs wrote nothing");

    List<String> said = new ArrayList<>();
    RunResult again = run(s, out, true, saying(said));
    assertEquals(
        numbers(first), numbers(again), "released at the end: resuming works, nothing to run");
    assertFalse(said.stream().anyMatch(m -> m.startsWith("taking over")), said.toString());
  }

  @Test
  void resumingRemovesTheTemporaryFilesOfWritesAKillInterrupted() throws Exception {
    Suite s = suite("  - none\n  - {id: salt-and-pepper, amount: 0.2}");
    Path out = dir.resolve("out");
    assertThrows(Crash.class, () -> run(s, out, false, crashAfter(1)));
    // what kill -9 during a rewrite of results.json, and during the save of B's weights, leaves
    Files.writeString(out.resolve(".results.json.4471829361.tmp"), "{\"half\":");
    Files.createDirectories(out.resolve(".together.99.tmp"));
    Files.writeString(out.resolve(".together.99.tmp/B.params"), "half");
    Files.writeString(out.resolve("notes.tmp"), "the user's");

    List<String> said = new ArrayList<>();
    RunResult r = run(s, out, true, saying(said));
    assertEquals(RunStatus.COMPLETE, r.status());
    assertTrue(
        said.contains("removed 2 temporary file(s) left by an interrupted write in " + out),
        said.toString());
    assertEquals(
        List.of("notes.tmp"), temporaries(out), "only this class's own temporary files go");
  }

  @Test
  void aFullDiskStopsTheRunWithOneMessageKeepingTheResultsAndResumingFinishesIt() throws Exception {
    Suite s = suite("  - none\n  - {id: salt-and-pepper, amount: [0.1, 0.2]}");
    RunResult whole = run(s, dir.resolve("whole"), false, new RunListener() {});
    long size = Files.size(dir.resolve("whole").resolve(Runner.RESULTS_FILE));

    Path out = dir.resolve("out");
    Path results = out.resolve(Runner.RESULTS_FILE);
    QrbenchException e;
    try (FullDisk disk =
        FullDisk.after(out, 2 * size)) { // room for a few of the rewrites, not for all
      e = assertThrows(QrbenchException.class, () -> run(s, out, false, new RunListener() {}));
    }
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "cannot save the results: no space left on the device to write "
                + results.toAbsolutePath()
                + ": "),
        m);
    assertTrue(m.matches(".*: [0-9.]+ (bytes|KB) needed, [0-9.]+ (bytes|KB) free; .*"), m);
    assertTrue(
        m.contains(results + " keeps the results saved before")
            && m.endsWith("; free some space, then continue the run with --resume"),
        m);
    RunResult partial = ResultsJson.read(results);
    assertEquals(RunStatus.RUNNING, partial.status(), "the last complete version, valid");
    assertTrue(partial.cases().size() < 6, partial.cases().size() + " cases");
    assertEquals(List.of(), temporaries(out));

    RunResult resumed = run(s, out, true, new RunListener() {});
    assertEquals(RunStatus.COMPLETE, resumed.status());
    assertEquals(numbers(whole), numbers(resumed));
  }

  @Test
  void aTransferCaseLoadsItsSourceOnlyWhenABatchMustBeCrafted() {
    // A's own case crafts every batch on A; B's case finds them all stored
    Suite fromA = suite("  - {id: gradient-sign, epsilon: 0.2, source: A}");
    int before = TinyLinearModel.BUILDS.get();
    RunResult full = run(fromA, dir.resolve("full"), false, new RunListener() {});
    assertEquals(
        2, TinyLinearModel.BUILDS.get() - before, "A and B once each: A is not loaded again for B");

    Path out = dir.resolve("resumed");
    assertThrows(Crash.class, () -> run(fromA, out, false, crashAfter(1)));
    before = TinyLinearModel.BUILDS.get();
    RunResult resumed = run(fromA, out, true, new RunListener() {});
    assertEquals(
        1, TinyLinearModel.BUILDS.get() - before, "B alone: every batch crafted on A is stored");
    assertEquals(numbers(full), numbers(resumed));

    // crafted on B, which comes later: A's case must load B to craft
    Suite fromB = suite("  - {id: gradient-sign, epsilon: 0.2, source: B}");
    before = TinyLinearModel.BUILDS.get();
    RunResult r = run(fromB, dir.resolve("from-b"), false, new RunListener() {});
    assertEquals(3, TinyLinearModel.BUILDS.get() - before, "A, B as A's source, then B");
    assertEquals(
        r.cases().get(0).metrics().meanL2(),
        r.cases().get(1).metrics().meanL2(),
        1e-9,
        "both evaluated on the images crafted on B");
  }

  @Test
  void aFolderLockedByATrainingIsNotTouched() throws Exception {
    Path out = dir.resolve("held");
    try (FolderLock lock = FolderLock.acquire(out, "qrbench train spec.yaml", m -> {})) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> run(suite("  - none"), out, false, new RunListener() {}));
      assertTrue(e.getMessage().contains("in use by 'qrbench train spec.yaml'"), e.getMessage());
    }
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(FolderLock.FILE), files.map(p -> p.getFileName().toString()).toList());
    }
  }
}
