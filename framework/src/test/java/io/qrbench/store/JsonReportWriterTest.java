package io.qrbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.Outcomes;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SuiteInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportWriterTest {
  @TempDir Path dir;

  static RunResult sample() {
    SuiteInfo suite =
        new SuiteInfo(
            "s",
            "d",
            "s.yaml",
            1,
            null,
            "synthetic",
            "test",
            2,
            "f",
            "name: s\n",
            "d",
            java.util.Map.of());
    EnvironmentInfo env =
        new EnvironmentInfo(
            "0", "0.36.0", "PyTorch", "2.7.1", "17", "v", "Linux", "cpu", 2, 2, null);
    Metrics m =
        new Metrics(
            2,
            50,
            100,
            1,
            2,
            0,
            0,
            0,
            0,
            0.1,
            20,
            Outcomes.fromBase64("AQ=="),
            Map.of("fooled", 0.5));
    CaseResult c =
        new CaseResult("m/none", "m", "none", "none", Level.NONE, Map.of(), CaseStatus.OK, null, m);
    return new RunResult(
        RunResult.SCHEMA,
        suite,
        env,
        RunStatus.COMPLETE,
        "t0",
        "t1",
        1.5,
        List.of(),
        List.of(c),
        List.of(),
        List.of());
  }

  @Test
  void writesResultsThatReadBackEqual() throws Exception {
    List<Path> files =
        new JsonReportWriter().write(new JsonReportWriter.Config(null), sample(), dir);
    assertEquals(List.of(dir.resolve("results.json")), files);
    assertEquals(sample(), ResultsJson.read(files.get(0)));
    assertTrue(Files.readString(files.get(0)).contains("\"schema\" : \"qrbench-results/2\""));
  }

  @Test
  void fileNameMustStayInsideTheOutputFolder() {
    assertThrows(IllegalArgumentException.class, () -> new JsonReportWriter.Config("../x.json"));
  }

  @Test
  void readingAnotherSchemaIsAClearError() throws Exception {
    Path f = dir.resolve("old.json");
    Files.writeString(f, "{\"schema\": \"qrbench-results/0\", \"cases\": [], \"models\": []}");
    ConfigException e = assertThrows(ConfigException.class, () -> ResultsJson.read(f));
    assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    Files.writeString(f, "not json");
    e = assertThrows(ConfigException.class, () -> ResultsJson.read(f));
    assertTrue(e.getMessage().contains("not a readable qrbench results file"), e.getMessage());
  }
}
