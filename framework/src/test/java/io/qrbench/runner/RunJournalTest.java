package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.Session;
import io.qrbench.result.SuiteInfo;
import io.qrbench.store.ResultsJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What results.json says about time: each session's own, summed. */
class RunJournalTest {
  private static final long S = 1_000_000_000L;
  private static final SuiteInfo SUITE =
      new SuiteInfo("s", null, "s.yaml", 1, null, "tiny", "test", 10, "fp", "", "def", Map.of());
  private static final List<String> CASES = List.of("A/x", "A/y", "A/z");

  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong();

  private RunJournal journal(RunResult previous, long startedAtSecond) {
    return new RunJournal(
        dir.resolve("results.json"),
        SUITE,
        null,
        List.of("A"),
        CASES,
        previous,
        startedAtSecond * S,
        now::get);
  }

  private static CaseResult result(String id, String status) {
    boolean ok = "ok".equals(status);
    return new CaseResult(
        id,
        "A",
        id.substring(2),
        id.substring(2),
        Level.NONE,
        Map.of(),
        CaseStatus.of(status),
        ok ? null : "boom",
        ok ? new Metrics(10, 50.0, 100.0, 5, 10, 0, 0, 0, 0, 1.0, 10.0, null, Map.of()) : null);
  }

  private RunResult onDisk() {
    return ResultsJson.read(dir.resolve("results.json"));
  }

  @Test
  void wallSecondsAreTheSumOfWhatEachSessionSpentRunning() {
    // session 1 starts at 100 s, finishes A/x at 110 s, A/y fails at 130 s, and is killed at 150 s
    now.set(101 * S);
    RunJournal first = journal(null, 100);
    now.set(110 * S);
    first.put(result("A/x", "ok"));
    now.set(130 * S);
    first.put(result("A/y", "failed"));
    RunResult killed = onDisk();
    assertEquals(30.0, killed.wallSeconds(), 1e-9, "to its last save");
    assertEquals(List.of(30.0), killed.sessions().stream().map(Session::seconds).toList());

    // resumed at 1000 s: the 850 s it was dead count for nothing; A/y runs again, A/z after it
    now.set(1001 * S);
    RunJournal second = journal(killed, 1000);
    now.set(1004 * S);
    second.put(result("A/y", "ok"));
    now.set(1009 * S);
    second.put(result("A/z", "ok"));
    now.set(1010 * S);
    RunResult done = second.finish();
    assertEquals(RunStatus.COMPLETE, done.status());
    assertEquals(List.of(30.0, 10.0), done.sessions().stream().map(Session::seconds).toList());
    assertEquals(
        List.of(2, 2),
        done.sessions().stream().map(Session::cases).toList(),
        "the failed A/y was run in both");
    assertEquals(40.0, done.wallSeconds(), 1e-9);
    assertEquals(killed.startedAt(), done.startedAt(), "the run started with its first session");
    assertEquals(killed.sessions().get(0), done.sessions().get(0));
    assertEquals(done, onDisk());
  }

  @Test
  void resultsWrittenBeforeSessionsWereRecordedCountAsOneSession() {
    RunResult old =
        new RunResult(
            RunResult.SCHEMA,
            SUITE,
            null,
            RunStatus.RUNNING,
            "2024-05-06T07:08:09Z",
            null,
            12.5,
            List.of(),
            List.of(result("A/x", "ok")),
            List.of(),
            List.of());
    now.set(50 * S);
    RunJournal resumed = journal(old, 48);
    now.set(51 * S);
    resumed.put(result("A/y", "ok"));
    RunResult r = onDisk();
    assertEquals(List.of(new Session("2024-05-06T07:08:09Z", 12.5, 1)), r.sessions().subList(0, 1));
    assertEquals(15.5, r.wallSeconds(), 1e-9);
  }
}
