package io.qrbench.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PgdStepBench profile}'s self times, on a Chrome trace made here with known nesting. */
class ProfileSelfTimeTest {

  @Test
  void selfTimeIsAnOperatorsTimeLessTheCallsItMadeOnItsOwnThread(@TempDir Path dir)
      throws Exception {
    // thread 1: conv (0-100) calls mkldnn (10-70), which calls empty (20-25), then empty (80-90);
    // thread 2: a relu at 30-60 overlaps conv in time but is not inside it; a non-X event is
    // ignored
    String trace =
        """
        {"traceEvents": [
          {"ph": "X", "name": "conv", "pid": 1, "tid": 1, "ts": 0, "dur": 100},
          {"ph": "X", "name": "mkldnn", "pid": 1, "tid": 1, "ts": 10, "dur": 60},
          {"ph": "X", "name": "empty", "pid": 1, "tid": 1, "ts": 20, "dur": 5},
          {"ph": "X", "name": "empty", "pid": 1, "tid": 1, "ts": 80, "dur": 10},
          {"ph": "X", "name": "relu", "pid": 1, "tid": 2, "ts": 30, "dur": 30},
          {"ph": "i", "name": "marker", "pid": 1, "tid": 1, "ts": 50}
        ]}
        """;
    Path f = dir.resolve("trace.json");
    Files.writeString(f, trace);
    Map<String, double[]> self = PgdStepBench.selfTimes(f);
    assertEquals(4, self.size(), self.keySet().toString());
    assertArrayEquals(new double[] {30, 1}, self.get("conv")); // 100 - 60 - 10
    assertArrayEquals(new double[] {55, 1}, self.get("mkldnn")); // 60 - 5
    assertArrayEquals(new double[] {15, 2}, self.get("empty"));
    assertArrayEquals(new double[] {30, 1}, self.get("relu"));
  }
}
