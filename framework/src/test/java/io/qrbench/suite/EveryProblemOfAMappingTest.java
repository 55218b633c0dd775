package io.qrbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.testing.FakePlugins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code validate} names every problem of a mapping, and a misspelt key is matched against
 * every key valid at its place, the framework's own ({@code split}, {@code limit}, {@code source})
 * as well as the plugin's (issue 22, item 5).
 */
class EveryProblemOfAMappingTest {
  @TempDir Path dir;

  private Map<String, SuiteProblem> problems(String yaml) {
    List<SuiteProblem> ps =
        assertThrows(
                SuiteException.class,
                () -> new SuiteLoader(FakePlugins.registry()).parse("suite.yaml", yaml, dir))
            .problems();
    return ps.stream().collect(Collectors.toMap(SuiteProblem::path, Function.identity()));
  }

  @Test
  void aMisspeltDatasetKeyIsMatchedWithTheFrameworksKeysToo() {
    Map<String, SuiteProblem> ps =
        problems(
            """
            name: demo
            dataset: {id: tiny, limt: 30, splt: test, sise: 60}
            models:
              - {name: A, model: tiny-linear, train: {epochs: 1}}
            """);
    assertEquals(3, ps.size(), ps.toString());
    assertTrue(ps.get("dataset.limt").problem().endsWith("did you mean 'limit'?"), ps.toString());
    assertTrue(ps.get("dataset.splt").problem().endsWith("did you mean 'split'?"), ps.toString());
    assertTrue(ps.get("dataset.sise").problem().endsWith("did you mean 'size'?"), ps.toString());
    String fix = ps.get("dataset.limt").fix();
    assertTrue(fix.contains("limit") && fix.contains("split") && fix.contains("size"), fix);
  }

  @Test
  void everyBadValueAndUnknownKeyOfOneMappingIsReportedAtOnce() {
    Map<String, SuiteProblem> ps =
        problems(
            """
            name: demo
            dataset: {id: tiny, size: 60}
            models:
              - {name: A, model: tiny-linear, train: {epochs: 1}}
            perturbations:
              - {id: salt-and-pepper, amount: lots, salt-vs-pepper: half, sorce: A}
            """);
    assertEquals(3, ps.size(), ps.toString());
    assertTrue(
        ps.get("perturbations[0].amount").problem().contains("expected a number, found 'lots'"),
        ps.toString());
    assertTrue(
        ps.get("perturbations[0].salt-vs-pepper")
            .problem()
            .contains("expected a number, found 'half'"),
        ps.toString());
    assertTrue(
        ps.get("perturbations[0].sorce").problem().endsWith("did you mean 'source'?"),
        ps.toString());
    assertEquals(6, ps.get("perturbations[0].salt-vs-pepper").line());
  }
}
