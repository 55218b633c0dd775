package io.qrbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qrbench.ConfigException;
import io.qrbench.check.Check;
import io.qrbench.check.Checks;
import io.qrbench.io.JsonMappers;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.CheckResult;
import io.qrbench.result.CheckStatus;
import io.qrbench.result.Level;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * results.json schema /2 and the /1 files written before it: {@code results-v1.json} was written by
 * the runner of the last /1 qrbench (a tiny fake-plugin run with two sweeps, a failing
 * perturbation, checks and speed), and is read here as {@code report} and {@code compare} read it.
 */
class ResultsSchemaTest {
  @TempDir Path dir;

  private static Path v1() throws Exception {
    return Path.of(ResultsSchemaTest.class.getResource("results-v1.json").toURI());
  }

  private static Map<String, CaseResult> byId(RunResult r) {
    return r.cases().stream().collect(Collectors.toMap(CaseResult::id, Function.identity()));
  }

  @Test
  void aSchema1FileReadsWithTypedLevelsStatusesAndOutcomes() throws Exception {
    JsonNode raw = JsonMappers.data().readTree(v1().toFile());
    assertEquals("qrbench-results/1", raw.get("schema").asText(), "the fixture is a /1 file");
    RunResult r = ResultsJson.read(v1());
    assertEquals(RunResult.SCHEMA, r.schema());
    assertEquals(RunStatus.FAILED, r.status());
    assertEquals(14, r.cases().size());
    Map<String, CaseResult> c = byId(r);
    Level strength = c.get("A/sweepable[strength=0.25]").level();
    assertEquals("strength=0.25", strength.label());
    assertEquals(Map.of("strength", 0.25), strength.values());
    assertEquals(0.25, strength.number("strength").orElseThrow(), 0);
    assertEquals(Map.of("epsilon", 0.3), c.get("B/gradient-sign[epsilon=0.3]").level().values());
    assertTrue(c.get("A/none").level().isEmpty());
    assertEquals(CaseStatus.FAILED, c.get("A/explode").status());
    assertEquals(CaseStatus.OK, c.get("A/none").status());
    for (CaseResult x : r.cases()) {
      JsonNode written = raw.get("cases").get(r.cases().indexOf(x));
      assertEquals(written.get("status").asText(), x.status().id());
      if (x.ok()) {
        assertEquals(x.metrics().correct1(), x.metrics().outcomes().count(), x.id());
        assertEquals(
            written.get("metrics").get("outcomes").asText(),
            x.metrics().outcomes().base64(),
            x.id());
        assertEquals(written.get("metrics").get("top1").asDouble(), x.metrics().top1(), 0, x.id());
      }
    }
  }

  @Test
  void checksOnTypedLevelsComeOutAsTheSchema1RunRecordedThem() throws Exception {
    RunResult r = ResultsJson.read(v1());
    List<Check> checks = r.checks().stream().map(c -> Check.parse(c.expression())).toList();
    List<CheckResult> again = Checks.evaluate(checks, r);
    assertEquals(r.checks(), again);
    assertEquals(
        List.of(
            CheckStatus.PASSED, CheckStatus.PASSED, CheckStatus.PASSED, CheckStatus.UNEVALUATED),
        again.stream().map(CheckResult::status).toList());
  }

  @Test
  void anUpgradedFileIsWrittenAsSchema2AndReadsBackEqual() throws Exception {
    RunResult r = ResultsJson.read(v1());
    Path out = dir.resolve("results.json");
    ResultsJson.write(r, out);
    JsonNode written = JsonMappers.data().readTree(out.toFile());
    assertEquals("qrbench-results/2", written.get("schema").asText());
    JsonNode level = written.get("cases").get(1).get("level");
    assertEquals("strength=0.1", level.get("label").asText());
    assertTrue(level.get("values").get("strength").isNumber(), level.toString());
    assertFalse(level.has("empty"), "derived accessors are not written: " + level);
    assertEquals(r, ResultsJson.read(out));
  }

  /**
   * A model's backend came after schema /2 without changing it: files written before read it as
   * null, a recorded one round-trips, and one of the wrong type is named.
   */
  @Test
  void aModelsBackendIsReadAsNullFromOlderFilesAndRoundTrips() throws Exception {
    RunResult old = ResultsJson.read(v1());
    assertTrue(old.models().stream().allMatch(m -> m.backend() == null), old.models().toString());
    List<ModelResult> models = new java.util.ArrayList<>();
    for (ModelResult m : old.models()) {
      models.add(
          new ModelResult(
              m.name(),
              m.model(),
              m.modelParams(),
              m.quantizer(),
              m.quantizerParams(),
              m.weights(),
              m.parameters(),
              m.quantization(),
              m.trainAccuracy(),
              m.cost(),
              "onnxruntime int8"));
    }
    RunResult r =
        new RunResult(
            old.schema(),
            old.suite(),
            old.environment(),
            old.status(),
            old.startedAt(),
            old.finishedAt(),
            old.wallSeconds(),
            models,
            old.cases(),
            old.checks(),
            old.speed(),
            old.sessions());
    Path out = dir.resolve("results.json");
    ResultsJson.write(r, out);
    JsonNode written = JsonMappers.data().readTree(out.toFile());
    assertEquals("qrbench-results/2", written.get("schema").asText(), "the schema stays /2");
    assertEquals("onnxruntime int8", written.get("models").get(0).get("backend").asText());
    assertEquals(r, ResultsJson.read(out));
    Files.writeString(
        out,
        Files.readString(out)
            .replaceFirst("\"backend\" : \"onnxruntime int8\"", "\"backend\" : 8"));
    ConfigException e = assertThrows(ConfigException.class, () -> ResultsJson.read(out));
    assertTrue(e.getMessage().contains("models[0].backend: expected a string"), e.getMessage());
  }

  @Test
  void aSchema2LevelOfTheWrongShapeIsNamed() throws Exception {
    Path out = dir.resolve("results.json");
    ResultsJson.write(ResultsJson.read(v1()), out);
    String text =
        Files.readString(out).replaceFirst("\"label\" : \"strength=0.1\"", "\"label\" : 7");
    Files.writeString(out, text);
    ConfigException e = assertThrows(ConfigException.class, () -> ResultsJson.read(out));
    assertTrue(e.getMessage().contains("cases[1].level.label: expected a string"), e.getMessage());
  }

  @Test
  void aSchema1RunResumesKeepingItsFinishedCasesAndIsSavedAsSchema2() throws Exception {
    RunResult v1 = ResultsJson.read(v1());
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.copy(v1(), out.resolve(io.qrbench.runner.Runner.RESULTS_FILE));
    io.qrbench.suite.Suite suite =
        new io.qrbench.suite.SuiteLoader(io.qrbench.testing.FakePlugins.registry())
            .parse(v1.suite().file(), v1.suite().yaml(), dir);
    List<String> ran = new java.util.ArrayList<>();
    RunResult resumed =
        new io.qrbench.runner.Runner(
                new io.qrbench.runner.RunListener() {
                  @Override
                  public void caseFinished(CaseResult r) {
                    ran.add(r.id());
                  }
                })
            .run(suite, new io.qrbench.runner.Runner.Options(out, true, false));
    assertEquals(
        List.of("A/explode", "B/explode"),
        ran,
        "finished cases of the /1 run are kept, failed ones tried again");
    assertEquals(v1.cases(), resumed.cases());
    assertEquals(v1.speed(), resumed.speed());
    assertEquals(
        v1.checks(),
        resumed.checks(),
        "the checks, evaluated again on typed levels, come out the same");
    assertEquals(
        "qrbench-results/2",
        JsonMappers.data()
            .readTree(out.resolve(io.qrbench.runner.Runner.RESULTS_FILE).toFile())
            .get("schema")
            .asText());
  }

  @Test
  void theNextSchemaIsRefusedNamingBothThatAreRead() throws Exception {
    Path f = dir.resolve("new.json");
    Files.writeString(f, Files.readString(v1()).replace("qrbench-results/1", "qrbench-results/3"));
    ConfigException e = assertThrows(ConfigException.class, () -> ResultsJson.read(f));
    assertTrue(e.getMessage().contains("qrbench-results/2 and qrbench-results/1"), e.getMessage());
  }
}
