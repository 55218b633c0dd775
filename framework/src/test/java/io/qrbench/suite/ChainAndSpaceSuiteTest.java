package io.qrbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.compose.ChainPerturbation;
import io.qrbench.compose.InputSpace;
import io.qrbench.compose.SpacedPerturbation;
import io.qrbench.suite.Suite.PerturbationEntry;
import io.qrbench.testing.FakePlugins;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chain}, {@code space:} and {@code clip:} as a suite writes them, and their mistakes. */
class ChainAndSpaceSuiteTest {
  private static final String HEAD =
      """
      name: demo
      seed: 7
      dataset: {id: tiny, split: test, limit: 30, size: 60}
      models:
        - {name: A, model: tiny-linear, train: {epochs: 2}}
      perturbations:
      """;

  @TempDir Path dir;

  private Suite load(String perturbations) {
    return new SuiteLoader(FakePlugins.registry())
        .parse("suite.yaml", HEAD + perturbations + "batch-size: 16\n", dir);
  }

  private SuiteProblem only(String perturbations) {
    List<SuiteProblem> p = assertThrows(SuiteException.class, () -> load(perturbations)).problems();
    assertEquals(1, p.size(), () -> "expected one problem, got " + p);
    return p.get(0);
  }

  @Test
  void stagesAreOneLevelPerPrefixSeededAsTheWholeChain() {
    Suite s =
        load(
            "  - {id: chain, of: [salt-and-pepper, {id: sweepable, strength: 0.2}], stages:"
                + " true}\n");
    PerturbationEntry e = s.perturbations().get(0);
    assertEquals("chain", e.name());
    ChainPerturbation chain = assertInstanceOf(ChainPerturbation.class, e.plugin());
    assertEquals(
        List.of("salt-and-pepper", "sweepable"),
        chain.steps().stream().map(ChainPerturbation.Step::label).toList());
    assertEquals(
        List.of("steps=1", "steps=2"), e.levels().stream().map(Suite.Level::label).toList());
    assertEquals(1, ((ChainPerturbation.Config) e.levels().get(0).config()).steps());
    assertEquals(2, ((ChainPerturbation.Config) e.levels().get(1).config()).steps());
    // every stage draws the whole chain's seeds, so stage k is the whole chain's k-th image
    assertEquals("", e.levels().get(0).seedLabel());
    assertEquals("", e.levels().get(1).seedLabel());
    assertEquals(1, e.levels().get(0).values().get("steps"));
  }

  @Test
  void withoutStagesAChainIsOneCase() {
    Suite s = load("  - {id: chain, name: both, of: [none, salt-and-pepper]}\n");
    assertEquals(1, s.perturbations().get(0).levels().size());
    assertEquals("", s.perturbations().get(0).levels().get(0).label());
  }

  @Test
  void unknownStepIdIsNamedAtItsPlaceInTheChain() {
    SuiteProblem p = only("  - {id: chain, of: [salt-and-pepper, {id: salt-pepper}]}\n");
    assertEquals("perturbations[0].of[1].id", p.path());
    assertTrue(p.problem().contains("unknown perturbation 'salt-pepper'"), p.problem());
  }

  @Test
  void aStepTakesNoListsAndAChainNoSpace() {
    SuiteProblem p = only("  - {id: chain, of: [{id: sweepable, strength: [0.1, 0.2]}]}\n");
    assertTrue(p.path().startsWith("perturbations[0].of[0]"), p.path());
    assertTrue(p.problem().contains("one value per key"), p.problem());
    SuiteProblem q = only("  - {id: chain, space: normalised, of: [salt-and-pepper]}\n");
    assertEquals("perturbations[0].space", q.path());
    assertTrue(q.fix().contains("each step"), q.fix());
    SuiteProblem r = only("  - {id: chain, of: []}\n");
    assertTrue(r.problem().contains("'of'"), r.problem());
  }

  @Test
  void spaceWrapsThePluginAndKeepsItsIdAndLevels() {
    Suite s =
        load(
            "  - {id: sweepable, name: norm, strength: [0.1, 0.2], space: normalised}\n"
                + "  - {id: salt-and-pepper, space: pixel}\n");
    PerturbationEntry e = s.perturbations().get(0);
    SpacedPerturbation<?> spaced = assertInstanceOf(SpacedPerturbation.class, e.plugin());
    assertEquals(InputSpace.NORMALISED, spaced.space());
    assertEquals("sweepable", e.plugin().id());
    assertEquals(2, e.levels().size());
    assertEquals("normalised", e.levels().get(0).params().get("space"));
    // pixel space without a clip range is the plugin itself: earlier runs' definitions still match
    assertTrue(!(s.perturbations().get(1).plugin() instanceof SpacedPerturbation<?>));
  }

  @Test
  void badSpaceAndClipAreRefusedWithTheKnownValues() {
    SuiteProblem p = only("  - {id: salt-and-pepper, space: normalized}\n");
    assertEquals("perturbations[0].space", p.path());
    assertTrue(p.problem().contains("unknown space 'normalized'"), p.problem());
    assertTrue(p.fix().contains("pixel, normalised, pixel255"), p.fix());
    SuiteProblem q = only("  - {id: salt-and-pepper, clip: [1, 0]}\n");
    assertEquals("perturbations[0].clip", q.path());
    SuiteProblem r = only("  - {id: chain, of: [{id: salt-and-pepper, space: 255}]}\n");
    assertEquals("perturbations[0].of[0].space", r.path());
  }

  @Test
  void theDefinitionFollowsSpaceAndSteps() {
    String plain = load("  - {id: salt-and-pepper}\n").definition();
    assertEquals(plain, load("  - {id: salt-and-pepper, space: pixel}\n").definition());
    assertNotEquals(plain, load("  - {id: salt-and-pepper, space: normalised}\n").definition());
    String chain = load("  - {id: chain, of: [salt-and-pepper]}\n").definition();
    assertNotEquals(
        chain, load("  - {id: chain, of: [{id: salt-and-pepper, amount: 0.2}]}\n").definition());
    assertNotEquals(
        chain,
        load("  - {id: chain, of: [{id: salt-and-pepper, space: pixel255}]}\n").definition());
  }
}
