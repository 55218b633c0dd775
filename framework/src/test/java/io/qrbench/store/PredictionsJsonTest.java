package io.qrbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.ConfigException;
import io.qrbench.io.JsonMappers;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.Predictions;
import io.qrbench.result.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema /2 with the optional predictions and examples, read both ways. */
class PredictionsJsonTest {
  @TempDir Path dir;

  private static RunResult withPredictions() {
    RunResult r = JsonReportWriterTest.sample();
    CaseResult c = r.cases().get(0);
    Metrics m = c.metrics();
    Metrics more =
        new Metrics(
            m.images(),
            m.top1(),
            m.top5(),
            m.correct1(),
            m.correct5(),
            m.meanAbs(),
            m.meanAbs255(),
            m.meanL2(),
            m.meanLinf(),
            m.seconds(),
            m.imagesPerSecond(),
            m.outcomes(),
            m.extra(),
            Predictions.of(new int[] {0, 1}, new int[] {0, 0}),
            List.of("data:image/png;base64,AAAA"));
    CaseResult c2 =
        new CaseResult(
            c.id(),
            c.model(),
            c.perturbation(),
            c.perturbationId(),
            c.level(),
            c.params(),
            c.status(),
            c.error(),
            more);
    return new RunResult(
        r.schema(),
        r.suite(),
        r.environment(),
        r.status(),
        r.startedAt(),
        r.finishedAt(),
        r.wallSeconds(),
        r.models(),
        List.of(c2),
        r.checks(),
        r.speed());
  }

  @Test
  void predictionsAndExamplesReadBackEqual() throws Exception {
    Path f = dir.resolve("results.json");
    ResultsJson.write(withPredictions(), f);
    assertTrue(Files.readString(f).contains("\"predictions\" : \"AAABAA==\""));
    RunResult back = ResultsJson.read(f);
    assertEquals(withPredictions(), back);
    assertEquals(1, back.cases().get(0).metrics().predictions().label(1));
  }

  @Test
  void resultsWithoutThemReadAsNullAndEmpty() throws Exception {
    Path f = dir.resolve("old.json");
    ResultsJson.write(withPredictions(), f);
    ObjectNode tree = (ObjectNode) JsonMappers.data().readTree(f.toFile());
    ObjectNode metrics = (ObjectNode) tree.get("cases").get(0).get("metrics");
    metrics.remove("predictions");
    metrics.remove("examples");
    Files.writeString(f, JsonMappers.data().writeValueAsString(tree));
    Metrics m = ResultsJson.read(f).cases().get(0).metrics();
    assertNull(m.predictions());
    assertTrue(m.examples().isEmpty());
    // and an older reader, which ignores unknown fields, still reads a newer file
    String json = ResultsJson.toJson(withPredictions());
    assertFalse(
        JsonMappers.data()
            .readTree(json)
            .get("cases")
            .get(0)
            .get("metrics")
            .get("predictions")
            .isNull());
  }

  @Test
  void predictionsOfTheWrongLengthAreAClearError() throws Exception {
    Path f = dir.resolve("bad.json");
    ResultsJson.write(withPredictions(), f);
    Files.writeString(f, Files.readString(f).replace("\"AAABAA==\"", "\"AAAB\""));
    ConfigException e = assertThrows(ConfigException.class, () -> ResultsJson.read(f));
    assertTrue(
        e.getMessage()
            .contains(
                "cases[0].metrics.predictions: holds 3 bytes, not 2 for each of the 2 images"),
        e.getMessage());
  }
}
