package io.qrbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.testing.FakePlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How suite text becomes a tree: anchors, aliases and merge keys, scalar types, limits. */
class YamlReadingTest {
  @TempDir Path dir;

  private Suite load(String yaml) {
    return new SuiteLoader(FakePlugins.registry()).parse("suite.yaml", yaml, dir);
  }

  private List<SuiteProblem> problems(String yaml) {
    return assertThrows(SuiteException.class, () -> load(yaml)).problems();
  }

  @Test
  void anAliasIsWhatItsAnchorNamesNotTheAnchorsName() {
    Suite s =
        load(
            """
        name: &nm alias-demo
        seed: 7
        dataset: {id: tiny, split: test, size: 60}
        models:
          - {name: *nm, model: &lin tiny-linear, train: &t {epochs: 2, batch-size: 8}}
          - {name: B, model: *lin, train: *t}
        perturbations: [none]
        """);
    assertEquals("alias-demo", s.name());
    assertEquals(List.of("alias-demo", "B"), s.models().stream().map(ModelEntry::name).toList());
    assertEquals("tiny-linear", s.models().get(1).model().id());
    assertEquals(8, s.models().get(1).train().batchSize());
  }

  @Test
  void mergeKeysMergeMappingsAndTheMappingsOwnKeysWin() {
    Suite s =
        load(
            """
        name: merge
        dataset: {id: tiny, split: test, size: 60}
        models:
          - &a {name: A, model: tiny-linear, train: &t {epochs: 2, batch-size: 8, learning-rate: 0.1}}
          - {<<: *a, name: B}
          - name: C
            <<: [{name: first, train: {epochs: 9}}, *a]
          - {<<: *a, name: D, train: {<<: *t, epochs: 3}}
        perturbations: [none]
        """);
    List<ModelEntry> m = s.models();
    assertEquals(List.of("A", "B", "C", "D"), m.stream().map(ModelEntry::name).toList());
    assertEquals("tiny-linear", m.get(1).model().id(), "B takes A's model");
    assertEquals(2, m.get(1).train().epochs());
    assertEquals(9, m.get(2).train().epochs(), "the first of a list of sources wins");
    assertEquals(
        64, m.get(2).train().batchSize(), "its train mapping is the first source's, whole");
    assertEquals(3, m.get(3).train().epochs(), "own keys win inside a nested merge");
    assertEquals(8, m.get(3).train().batchSize());
    assertEquals(0.1, m.get(3).train().learningRate(), 0);
  }

  @Test
  void aProblemInsideAnAnchorIsReportedWhereTheAnchorIsWritten() {
    List<SuiteProblem> p =
        problems(
            """
        name: x
        dataset: {id: tiny, split: test, size: 60}
        models:
          - {name: A, model: tiny-linear, train: &t {epochs: 0}}
          - {name: B, model: tiny-linear, train: *t}
        perturbations: [none]
        """);
    assertEquals(
        List.of("models[0].train.epochs", "models[1].train.epochs"),
        p.stream().map(SuiteProblem::path).toList());
    int column = "  - {name: A, model: tiny-linear, train: &t {epochs: ".length() + 1;
    assertTrue(p.stream().allMatch(q -> q.line() == 4 && q.column() == column), p::toString);
  }

  @Test
  void aBillionLaughsIsRefusedAtOnce() {
    // 50 aliases that expand to a million values, and 80 that would expand to a hundred million
    assertTrue(
        problems(laughs(5))
            .get(0)
            .problem()
            .contains("aliases expand to more than " + YamlReader.MAX_ALIAS_VALUES + " values"),
        () -> problems(laughs(5)).toString());
    assertTrue(
        problems(laughs(8))
            .get(0)
            .problem()
            .contains("more than " + YamlReader.MAX_ALIASES + " aliases to lists or mappings"),
        () -> problems(laughs(8)).toString());
  }

  private static String laughs(int levels) {
    StringBuilder yaml =
        new StringBuilder(
            "name: lol\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= levels; i++) {
      yaml.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1))))
          .append("]\n");
    }
    return yaml.toString();
  }

  @Test
  void aSingleValueWhereAListIsExpectedIsPlacedAsItemZero() {
    List<SuiteProblem> p =
        problems(
            """
        name: x
        dataset: {id: tiny, split: test, size: 60}
        models: {name: A, model: tiny-linear, train: {epochs: 0}}
        perturbations: [none]
        """);
    assertEquals("models[0].train.epochs", p.get(0).path());
    assertEquals(3, p.get(0).line());
    assertEquals(
        "models: {name: A, model: tiny-linear, train: {epochs: ".length() + 1, p.get(0).column());
  }

  /**
   * The reader replaced Jackson's: every scalar of every shipped file must keep its type and value.
   */
  @Test
  void scalarsAreTypedAsJacksonTypedThem() throws IOException {
    String corner =
        """
        a: [yes, no, on, off, true, False, ~, null, 0x1F, 012, 1_000, -3, +4, 1:20, 2024-01-01, .5, 1e-4, 1.5e3, "5", '07']
        b: {nested: {k: v}, empty:, "quoted key": 1}
        """;
    YAMLMapper jackson = new YAMLMapper();
    assertEquals(jackson.readTree(corner), YamlDocument.parse("corner.yaml", corner).root());
    List<Path> shipped;
    try (Stream<Path> files =
        Stream.of("../suites", "../specs", "../models")
            .map(Path::of)
            .filter(Files::isDirectory)
            .flatMap(YamlReadingTest::walk)) {
      shipped = files.filter(f -> f.toString().endsWith(".yaml")).toList();
    }
    assertTrue(shipped.size() >= 10, "the shipped suites and specs are found: " + shipped);
    for (Path f : shipped) {
      String text = Files.readString(f);
      JsonNode expected = jackson.readTree(text);
      assertEquals(expected, YamlDocument.parse(f.toString(), text).root(), f.toString());
    }
  }

  private static Stream<Path> walk(Path p) {
    try {
      return Files.walk(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
