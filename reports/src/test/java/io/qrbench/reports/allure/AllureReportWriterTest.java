package io.qrbench.reports.allure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.CheckResult;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.ModelResult;
import io.qrbench.result.Outcomes;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SuiteInfo;
import io.qrbench.spi.PluginKind;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllureReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AllureReportWriter.Config DEFAULT = new AllureReportWriter.Config(null);

  @TempDir Path dir;

  static RunResult sample() {
    SuiteInfo suite =
        new SuiteInfo(
            "robust",
            "d",
            "s.yaml",
            7,
            null,
            "synthetic",
            "test",
            2,
            "f",
            "name: robust\n",
            "d",
            java.util.Map.of());
    EnvironmentInfo env =
        new EnvironmentInfo(
            "0.1.0",
            "0.36.0",
            "PyTorch",
            "2.7.1",
            "17.0.15",
            "Debian",
            "Linux amd64",
            "Xeon",
            2,
            2,
            "abc123");
    Metrics clean =
        new Metrics(2, 100, 100, 2, 2, 0, 0, 0, 0, 1.5, 20, Outcomes.fromBase64("Aw=="), Map.of());
    Metrics noisy =
        new Metrics(
            2,
            50,
            100,
            1,
            2,
            0.02,
            5.1,
            0.3,
            0.1,
            0.5,
            40,
            Outcomes.fromBase64("AQ=="),
            Map.of("fooled", 0.5));
    Map<String, Object> var = new LinkedHashMap<>();
    var.put("var", 0.05);
    List<CaseResult> cases =
        List.of(
            new CaseResult(
                "FP/none", "FP", "none", "none", Level.NONE, Map.of(), CaseStatus.OK, null, clean),
            new CaseResult(
                "TWN/gaussian[var=0.05]",
                "TWN",
                "gaussian",
                "gaussian",
                Level.of(var),
                var,
                CaseStatus.OK,
                null,
                noisy),
            new CaseResult(
                "TWN/fgsm",
                "TWN",
                "fgsm",
                "fgsm",
                Level.NONE,
                Map.of(),
                CaseStatus.FAILED,
                "out of memory",
                null));
    QuantizationSummary q = null;
    List<ModelResult> models =
        List.of(
            new ModelResult(
                "FP", "small-cnn", Map.of(), "fp32", Map.of(), "trained in run", 10, q, null, null),
            new ModelResult(
                "TWN",
                "small-cnn",
                Map.of(),
                "twn",
                Map.of(),
                "trained in run",
                10,
                q,
                null,
                null));
    List<CheckResult> checks =
        List.of(
            new CheckResult("TWN.clean.top1 >= FP.clean.top1 - 60", true, 100.0, 40.0, "100 >= 40"),
            new CheckResult(
                "TWN.gaussian.top1 >= FP.clean.top1",
                false,
                50.0,
                100.0,
                "50 >= 100 does not hold"));
    return new RunResult(
        RunResult.SCHEMA,
        suite,
        env,
        RunStatus.COMPLETE,
        "2026-11-27T23:26:26.5Z",
        "2026-11-27T23:26:30Z",
        2.0,
        models,
        cases,
        checks,
        List.of());
  }

  private static Map<String, JsonNode> results(Path allure) throws IOException {
    try (Stream<Path> s = Files.list(allure)) {
      Map<String, JsonNode> out = new HashMap<>();
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList()) {
        JsonNode n = JSON.readTree(p.toFile());
        assertEquals(p.getFileName().toString(), n.get("uuid").asText() + "-result.json");
        out.put(n.get("name").asText(), n);
      }
      return out;
    }
  }

  private static Map<String, String> pairs(JsonNode list) {
    Map<String, String> m = new LinkedHashMap<>();
    list.forEach(
        l -> m.merge(l.get("name").asText(), l.get("value").asText(), (a, b) -> a + "," + b));
    return m;
  }

  private static Map<String, String> contents(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.collect(
          Collectors.toMap(
              p -> p.getFileName().toString(),
              p -> {
                try {
                  return Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }));
    }
  }

  @Test
  void writesOneResultPerCaseAndCheckAndTheOverviewFiles() throws IOException {
    List<Path> files = new AllureReportWriter().write(DEFAULT, sample(), dir);
    Path allure = dir.resolve("allure-results");
    assertEquals(3 + 2 + 3, files.size());
    try (Stream<Path> s = Files.list(allure)) {
      assertEquals(files.stream().sorted().toList(), s.sorted().toList());
    }
    assertEquals(5, results(allure).size());
    assertTrue(Files.isRegularFile(allure.resolve("environment.properties")));
    assertEquals(
        "qrbench", JSON.readTree(allure.resolve("executor.json").toFile()).get("name").asText());
    JsonNode categories = JSON.readTree(allure.resolve("categories.json").toFile());
    assertEquals("Robustness case failed", categories.get(0).get("name").asText());
    assertEquals("broken", categories.get(0).get("matchedStatuses").get(0).asText());
    assertEquals("failed", categories.get(1).get("matchedStatuses").get(0).asText());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(allure), s.toList(), "no temporary folder is left behind");
    }
  }

  @Test
  void aCaseCarriesItsLabelsParametersMetricsAndTimes() throws IOException {
    new AllureReportWriter().write(DEFAULT, sample(), dir);
    Map<String, JsonNode> r = results(dir.resolve("allure-results"));
    JsonNode noisy = r.get("TWN/gaussian[var=0.05]");
    assertEquals("passed", noisy.get("status").asText());
    assertEquals("robust/TWN/gaussian[var=0.05]", noisy.get("fullName").asText());
    assertEquals("finished", noisy.get("stage").asText());
    Map<String, String> labels = pairs(noisy.get("labels"));
    assertEquals("robust", labels.get("suite"));
    assertEquals("qrbench", labels.get("parentSuite"));
    assertEquals("TWN", labels.get("subSuite"));
    assertEquals("gaussian", labels.get("feature"));
    assertEquals("var=0.05", labels.get("story"));
    assertEquals("gaussian", labels.get("tag"));
    assertEquals("qrbench", labels.get("framework"));
    assertEquals("Linux amd64 / Xeon", labels.get("host"));
    Map<String, String> params = pairs(noisy.get("parameters"));
    assertEquals(
        Map.of("model", "TWN", "quantizer", "twn", "var", "0.05", "level", "var=0.05"), params);
    Map<String, String> metrics = new LinkedHashMap<>();
    noisy.get("steps").forEach(s -> metrics.putAll(pairs(s.get("parameters"))));
    assertEquals("50 %", metrics.get("top1"));
    assertEquals("100 %", metrics.get("top5"));
    assertEquals("5.1", metrics.get("meanAbs255"));
    assertEquals("0.5", metrics.get("seconds"));
    assertEquals("40", metrics.get("imagesPerSecond"));
    assertEquals("0.5", metrics.get("fooled"));
    assertTrue(noisy.get("description").asText().contains("top-1 50.00 %"), noisy.toString());
    // cases follow one another from the run's start, each as long as it took
    long start = java.time.Instant.parse("2026-11-27T23:26:26.5Z").toEpochMilli();
    JsonNode clean = r.get("FP/none");
    assertEquals(start, clean.get("start").asLong());
    assertEquals(start + 1500, clean.get("stop").asLong());
    assertEquals(start + 1500, noisy.get("start").asLong());
    assertEquals(start + 2000, noisy.get("stop").asLong());
    assertFalse(pairs(clean.get("labels")).containsKey("story"), "nothing swept: no story");
  }

  @Test
  void aFailedCaseIsBrokenAndAFailedCheckIsFailed() throws IOException {
    new AllureReportWriter().write(DEFAULT, sample(), dir);
    Map<String, JsonNode> r = results(dir.resolve("allure-results"));
    JsonNode failedCase = r.get("TWN/fgsm");
    assertEquals("broken", failedCase.get("status").asText());
    assertEquals("out of memory", failedCase.get("statusDetails").get("message").asText());
    assertEquals(0, failedCase.get("steps").size());
    JsonNode passed = r.get("TWN.clean.top1 >= FP.clean.top1 - 60");
    assertEquals("passed", passed.get("status").asText());
    assertFalse(passed.has("statusDetails"));
    JsonNode failed = r.get("TWN.gaussian.top1 >= FP.clean.top1");
    assertEquals("failed", failed.get("status").asText());
    assertEquals("50 >= 100 does not hold", failed.get("statusDetails").get("message").asText());
    assertEquals("checks", pairs(failed.get("labels")).get("subSuite"));
    assertEquals(Map.of("left", "50.0", "right", "100.0"), pairs(failed.get("parameters")));
  }

  @Test
  void theEnvironmentNamesVersionsMachineSeedAndCommit() throws IOException {
    new AllureReportWriter().write(DEFAULT, sample(), dir);
    Properties p = new Properties();
    try (var in = Files.newInputStream(dir.resolve("allure-results/environment.properties"))) {
      p.load(in);
    }
    assertEquals("0.1.0", p.getProperty("qrbench.version"));
    assertEquals("0.36.0", p.getProperty("djl.version"));
    assertEquals("PyTorch", p.getProperty("engine"));
    assertEquals("2.7.1", p.getProperty("engine.version"));
    assertEquals("17.0.15 (Debian)", p.getProperty("java.version"));
    assertEquals("Xeon", p.getProperty("cpu"));
    assertEquals("2", p.getProperty("threads"));
    assertEquals("7", p.getProperty("seed"));
    assertEquals("abc123", p.getProperty("git.commit"));
  }

  @Test
  void propertiesValuesSurviveEscaping() throws IOException {
    String odd = " lead\\ é\nnext\t";
    Properties p = new Properties();
    p.load(new java.io.StringReader("k=" + AllureRunFiles.escape(odd) + "\n"));
    assertEquals(odd, p.getProperty("k"));
  }

  @Test
  void reRenderingReplacesTheFolderWithIdenticalFiles() throws IOException {
    AllureReportWriter w = new AllureReportWriter();
    w.write(DEFAULT, sample(), dir);
    Path allure = dir.resolve("allure-results");
    Map<String, String> first = contents(allure);
    Files.writeString(allure.resolve("stale-result.json"), "{}");
    w.write(DEFAULT, sample(), dir);
    assertEquals(
        first, contents(allure), "same results, same files; an earlier file is gone, not merged");

    RunResult fewer = sample();
    fewer =
        new RunResult(
            fewer.schema(),
            fewer.suite(),
            fewer.environment(),
            fewer.status(),
            fewer.startedAt(),
            fewer.finishedAt(),
            fewer.wallSeconds(),
            fewer.models(),
            fewer.cases().subList(0, 1),
            List.of(),
            List.of());
    w.write(DEFAULT, fewer, dir);
    assertEquals(1, results(allure).size());
  }

  @Test
  void historyIdsFollowSuiteAndCaseAcrossRuns() throws IOException {
    RunResult a = sample();
    RunResult b =
        new RunResult(
            a.schema(),
            a.suite(),
            a.environment(),
            a.status(),
            "2026-12-01T10:00:00Z",
            null,
            a.wallSeconds(),
            a.models(),
            a.cases(),
            a.checks(),
            a.speed());
    new AllureReportWriter().write(DEFAULT, a, Files.createDirectories(dir.resolve("a")));
    new AllureReportWriter().write(DEFAULT, b, Files.createDirectories(dir.resolve("b")));
    Map<String, JsonNode> ra = results(dir.resolve("a/allure-results"));
    Map<String, JsonNode> rb = results(dir.resolve("b/allure-results"));
    assertEquals(ra.keySet(), rb.keySet());
    for (String name : ra.keySet()) {
      assertEquals(ra.get(name).get("historyId"), rb.get(name).get("historyId"), name);
      assertEquals(ra.get(name).get("testCaseId"), rb.get(name).get("testCaseId"), name);
      assertNotEquals(
          ra.get(name).get("uuid"),
          rb.get(name).get("uuid"),
          "two runs' results can sit in one folder");
    }
    assertEquals(5, ra.values().stream().map(n -> n.get("historyId").asText()).distinct().count());
  }

  @Test
  void rendersARealRun() throws IOException {
    RunResult real = ResultsJson.read(Path.of("src/test/resources/results/robustness-1000.json"));
    new AllureReportWriter().write(DEFAULT, real, dir);
    Map<String, JsonNode> r = results(dir.resolve("allure-results"));
    assertEquals(real.cases().size(), r.size());
    JsonNode pgd = r.get("TWN/pgd@FP[epsilon=0.0313725]");
    assertEquals("passed", pgd.get("status").asText());
    assertEquals("twn", pairs(pgd.get("parameters")).get("quantizer"));
    assertEquals("10", pairs(pgd.get("parameters")).get("steps"));
  }

  @Test
  void isDiscoveredAndRejectsAPathAsFolderName() {
    assertTrue(PluginRegistry.discover().ids(PluginKind.REPORT).contains("allure"));
    assertThrows(IllegalArgumentException.class, () -> new AllureReportWriter.Config("../x"));
  }
}
