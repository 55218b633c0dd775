package io.qrbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.spi.Split;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.FakePlugins.Sweepable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {
  private static final String VALID =
      """
      name: demo
      description: a test suite
      seed: 7
      dataset: {id: tiny, split: test, limit: 30, size: 60}
      models:
        - name: A
          model: tiny-linear
          train: {epochs: 2}
      perturbations:
        - none
        - id: salt-and-pepper
          amount: [0.01, 0.05]
        - id: sweepable
          strength: [0.1, 0.2]
          mode: [add, mul]
          taps: [1, 2, 3]
      batch-size: 16
      """;

  @TempDir Path dir;

  private Suite load(String yaml) {
    return new SuiteLoader(FakePlugins.registry()).parse("suite.yaml", yaml, dir);
  }

  private List<SuiteProblem> problems(String yaml) {
    return assertThrows(SuiteException.class, () -> load(yaml)).problems();
  }

  private SuiteProblem only(String yaml) {
    List<SuiteProblem> p = problems(yaml);
    assertEquals(1, p.size(), () -> "expected one problem, got " + p);
    return p.get(0);
  }

  @Test
  void validSuiteIsBoundToTypedRecords() {
    Suite s = load(VALID);
    assertEquals("demo", s.name());
    assertEquals(7, s.seed());
    assertEquals(16, s.batchSize());
    assertEquals(Split.TEST, s.dataset().split());
    assertEquals(30, s.dataset().limit());
    assertEquals(60, s.dataset().provider().params().get("size"));
    assertEquals("fp32", s.models().get(0).quantizer().id(), "quantizer defaults to fp32");
    assertEquals(2, s.models().get(0).train().epochs());
    assertEquals(64, s.models().get(0).train().batchSize(), "train keys left out take defaults");
    assertEquals(
        List.of("json"),
        s.reports().stream().map(PluginConfig::id).toList(),
        "reports default to json");
    assertEquals(3, s.perturbations().size());
    assertEquals(
        List.of(""), s.perturbations().get(0).levels().stream().map(Suite.Level::label).toList());
  }

  @Test
  void listValuesExpandIntoLevelsButListTypedKeysDoNot() {
    Suite s = load(VALID);
    List<Suite.Level> sp = s.perturbations().get(1).levels();
    assertEquals(
        List.of("amount=0.01", "amount=0.05"), sp.stream().map(Suite.Level::label).toList());
    assertEquals(0.05, ((FakePlugins.SaltAndPepper.Config) sp.get(1).config()).amount());
    List<Suite.Level> sw = s.perturbations().get(2).levels();
    assertEquals(
        List.of(
            "strength=0.1,mode=add",
            "strength=0.1,mode=mul",
            "strength=0.2,mode=add",
            "strength=0.2,mode=mul"),
        sw.stream().map(Suite.Level::label).toList());
    for (Suite.Level l : sw) {
      assertEquals(
          List.of(1, 2, 3),
          ((Sweepable.Config) l.config()).taps(),
          "a list-typed key is one value");
    }
    assertEquals(0.2, sw.get(3).params().get("strength"));
  }

  @Test
  void misspelledTopLevelKeyNamesLineColumnAndSuggestion() {
    SuiteProblem p = only(VALID.replace("batch-size: 16", "batch-sise: 16"));
    assertEquals(17, p.line());
    assertEquals(1, p.column());
    assertEquals("batch-sise", p.path());
    assertTrue(
        p.problem().contains("unknown key 'batch-sise'; did you mean 'batch-size'?"), p.problem());
    assertTrue(p.fix().contains("batch-size") && p.fix().contains("perturbations"), p.fix());
    assertTrue(p.format().startsWith("suite.yaml:17:1: batch-sise: unknown key"), p.format());
  }

  @Test
  void unknownPluginIdSuggestsClosestAndListsKnown() {
    SuiteProblem p = only(VALID.replace("id: salt-and-pepper", "id: salt-pepper"));
    assertEquals("perturbations[1].id", p.path());
    assertEquals(11, p.line());
    assertTrue(
        p.problem().contains("unknown perturbation 'salt-pepper'; did you mean 'salt-and-pepper'?"),
        p.problem());
    assertTrue(p.fix().contains("none, salt-and-pepper, sweepable"), p.fix());
  }

  @Test
  void unknownIdGivenAsPlainStringIsReportedAtItsValue() {
    SuiteProblem p = only(VALID.replace("model: tiny-linear", "model: tiny-liner"));
    assertEquals("models[0].model", p.path());
    assertEquals(7, p.line());
    assertTrue(
        p.problem().contains("unknown model 'tiny-liner'; did you mean 'tiny-linear'?"),
        p.problem());
  }

  @Test
  void misspelledKeyAndUnknownIdAreBothReported() {
    List<SuiteProblem> ps =
        problems(
            VALID
                .replace("batch-size: 16", "batch-sise: 16")
                .replace("id: salt-and-pepper", "id: salt-pepper"));
    assertEquals(2, ps.size(), ps.toString());
    assertTrue(ps.stream().anyMatch(p -> p.problem().contains("did you mean 'batch-size'?")));
    assertTrue(ps.stream().anyMatch(p -> p.problem().contains("did you mean 'salt-and-pepper'?")));
  }

  @Test
  void misspelledPluginKeySuggestsTheRecordComponent() {
    SuiteProblem p = only(VALID.replace("amount: [0.01, 0.05]", "amout: [0.01, 0.05]"));
    assertEquals("perturbations[1].amout", p.path());
    assertEquals(12, p.line());
    assertTrue(p.problem().contains("unknown key 'amout'; did you mean 'amount'?"), p.problem());
    assertTrue(p.fix().contains("amount, salt-vs-pepper"), p.fix());
  }

  @Test
  void wrongScalarTypeSaysWhatWasExpected() {
    SuiteProblem p = only(VALID.replace("seed: 7", "seed: seven"));
    assertEquals("seed", p.path());
    assertEquals(3, p.line());
    assertTrue(p.problem().contains("expected an integer, found 'seven'"), p.problem());
  }

  @Test
  void fractionalBatchSizeIsNotSilentlyTruncated() {
    SuiteProblem p = only(VALID.replace("batch-size: 16", "batch-size: 12.5"));
    assertEquals("batch-size", p.path());
    assertTrue(p.problem().contains("expected an integer"), p.problem());
  }

  @Test
  void invalidPluginValueReportsTheConfigsOwnMessage() {
    SuiteProblem p = only(VALID.replace("amount: [0.01, 0.05]", "amount: [0.01, 1.5]"));
    assertTrue(p.path().startsWith("perturbations[1]"), p.path());
    assertTrue(p.problem().contains("amount must be in [0, 1], was 1.5"), p.problem());
  }

  @Test
  void stringWhereNumberExpectedInPluginConfig() {
    SuiteProblem p = only(VALID.replace("amount: [0.01, 0.05]", "amount: lots"));
    assertEquals("perturbations[1].amount", p.path());
    assertTrue(p.problem().contains("expected a number, found 'lots'"), p.problem());
  }

  @Test
  void missingNameAndModels() {
    List<SuiteProblem> ps = problems("dataset: tiny\n");
    assertTrue(ps.stream().anyMatch(p -> p.problem().equals("missing key 'name'")), ps.toString());
    assertTrue(
        ps.stream().anyMatch(p -> p.problem().equals("missing key 'models'")), ps.toString());
  }

  @Test
  void missingDataset() {
    SuiteProblem p =
        only(VALID.replace("dataset: {id: tiny, split: test, limit: 30, size: 60}\n", ""));
    assertEquals("missing key 'dataset'", p.problem());
  }

  @Test
  void emptyModelList() {
    SuiteProblem p = only(VALID.substring(0, VALID.indexOf("models:")) + "models: []\n");
    assertEquals("'models' is empty", p.problem());
  }

  @Test
  void duplicateModelNames() {
    String two =
        VALID.replace(
            "perturbations:",
            "  - name: A\n    model: tiny-linear\n    train: {epochs: 1}\nperturbations:");
    SuiteProblem p = only(two);
    assertEquals("models[1].name", p.path());
    assertTrue(p.problem().contains("two models are named 'A'"), p.problem());
  }

  @Test
  void duplicatePerturbationNamesAskForAName() {
    SuiteProblem p = only(VALID.replace("  - none\n", "  - none\n  - none\n"));
    assertTrue(p.problem().contains("two perturbations are named 'none'"), p.problem());
    assertTrue(p.fix().contains("name:"), p.fix());
  }

  @Test
  void yamlSyntaxErrorHasALine() {
    SuiteProblem p = only("name: x\nmodels: [a, b\n");
    assertTrue(p.problem().startsWith("not valid YAML"), p.problem());
    assertTrue(p.line() >= 2, "line " + p.line());
  }

  @Test
  void duplicateYamlKey() {
    SuiteProblem p = only(VALID.replace("seed: 7", "seed: 7\nseed: 8"));
    assertTrue(p.problem().contains("seed"), p.problem());
    assertEquals(4, p.line());
  }

  @Test
  void missingWeightsFileIsNamed() {
    SuiteProblem p = only(VALID.replace("train: {epochs: 2}", "weights: nowhere/model.params"));
    assertEquals("models[0].weights", p.path());
    assertTrue(
        p.problem().contains("weights file not found: " + dir.resolve("nowhere/model.params")),
        p.problem());
  }

  @Test
  void weightsResolveAgainstTheSuiteFolder() throws Exception {
    Files.createDirectories(dir.resolve("w"));
    Files.writeString(dir.resolve("w/m.params"), "x");
    Suite s = load(VALID.replace("train: {epochs: 2}", "weights: w/m.params"));
    assertEquals(dir.resolve("w/m.params"), s.models().get(0).weights());
    assertNull(s.models().get(0).train());
  }

  @Test
  void modelWithNeitherWeightsNorTraining() {
    SuiteProblem p = only(VALID.replace("    train: {epochs: 2}\n", ""));
    assertEquals("models[0]", p.path());
    assertTrue(p.problem().contains("neither 'weights' nor 'train'"), p.problem());
  }

  @Test
  void badTrainingValue() {
    SuiteProblem p = only(VALID.replace("train: {epochs: 2}", "train: {epochs: 0}"));
    assertEquals("models[0].train.epochs", p.path());
    assertTrue(p.problem().contains("expected an integer in [1, 10000], found 0"), p.problem());
  }

  @Test
  void negativeBatchNormRecalibration() {
    SuiteProblem p =
        only(VALID.replace("train: {epochs: 2}", "train: {epochs: 2}\n    recalibrate-bn: -1"));
    assertEquals("models[0].recalibrate-bn", p.path());
    assertTrue(p.problem().contains("expected an integer in [0, 10000], found -1"), p.problem());
    assertEquals(
        50,
        load(VALID.replace("train: {epochs: 2}", "train: {epochs: 2}\n    recalibrate-bn: 50"))
            .models()
            .get(0)
            .recalibrateBn());
  }

  @Test
  void foldBatchNormIsAModelKeyThatChangesTheDefinitionOnlyWhenOn() {
    Suite off = load(VALID);
    assertFalse(off.models().get(0).foldBatchNorm());
    Suite on =
        load(VALID.replace("train: {epochs: 2}", "train: {epochs: 2}\n    fold-batchnorm: true"));
    assertTrue(on.models().get(0).foldBatchNorm());
    assertNotEquals(off.definition(), on.definition(), "a resumed run must not mix the two");
    // spelled out as false it is the default: earlier runs' definitions still match
    assertEquals(
        off.definition(),
        load(VALID.replace("train: {epochs: 2}", "train: {epochs: 2}\n    fold-batchnorm: false"))
            .definition());
    SuiteProblem p =
        only(VALID.replace("train: {epochs: 2}", "train: {epochs: 2}\n    fold-batchnorm: 3"));
    assertEquals("models[0].fold-batchnorm", p.path());
  }

  @Test
  void transferSourcesMustBeSuiteModels() {
    SuiteProblem p =
        only(VALID.replace("  - none\n", "  - none\n  - {id: sweepable, source: B}\n"));
    assertEquals("perturbations[1].source", p.path());
    assertTrue(p.problem().contains("no model is named 'B'"), p.problem());
    assertTrue(p.fix().contains("A"), p.fix());
    Suite s = load(VALID.replace("  - none\n", "  - none\n  - {id: sweepable, source: A}\n"));
    assertEquals("sweepable@A", s.perturbations().get(1).name());
    assertEquals("A", s.perturbations().get(1).source());
  }

  @Test
  void zeroLimit() {
    SuiteProblem p = only(VALID.replace("limit: 30", "limit: 0"));
    assertEquals("dataset.limit", p.path());
    assertTrue(p.problem().contains("at least 1"), p.problem());
  }

  @Test
  void badSplit() {
    SuiteProblem p = only(VALID.replace("split: test", "split: validation"));
    assertEquals("dataset.split", p.path());
    assertTrue(
        p.problem().contains("expected one of train, test, found 'validation'"), p.problem());
  }

  @Test
  void perturbationThatIsNeitherIdNorMapping() {
    SuiteProblem p = only(VALID.replace("  - none\n", "  - 42\n"));
    assertEquals("perturbations[0]", p.path());
    assertTrue(
        p.problem().contains("expected a perturbation id or a mapping with 'id', found '42'"),
        p.problem());
  }

  @Test
  void mappingWithoutId() {
    SuiteProblem p = only(VALID.replace("id: salt-and-pepper", "kind: salt-and-pepper"));
    assertEquals("perturbations[1]", p.path());
    assertEquals("missing key 'id'", p.problem());
    assertTrue(p.fix().contains("salt-and-pepper"), p.fix());
  }

  @Test
  void keyGivenToAPluginWithoutSettings() {
    SuiteProblem p =
        only(
            VALID.replace(
                "model: tiny-linear", "model: tiny-linear\n    quantizer: {id: fp32, bits: 2}"));
    assertEquals("models[0].quantizer.bits", p.path());
    assertTrue(p.fix().contains("takes no keys"), p.fix());
  }

  @Test
  void rootMustBeAMapping() {
    SuiteProblem p = only("- just\n- a list\n");
    assertTrue(p.problem().startsWith("a suite must be a mapping"), p.problem());
  }

  @Test
  void listWhereMappingExpected() {
    SuiteProblem p = only(VALID.replace("train: {epochs: 2}", "train: [2]"));
    assertEquals("models[0].train", p.path());
    assertTrue(
        p.problem().contains("expected a mapping of keys to values, found a list"), p.problem());
  }

  @Test
  void fingerprintFollowsTheSuiteSeedAndLimit() {
    Suite s = load(VALID);
    assertEquals(s.fingerprint(), load(VALID).fingerprint());
    assertTrue(!s.fingerprint().equals(s.withSeed(8).fingerprint()));
    assertTrue(!s.fingerprint().equals(s.withLimit(10).fingerprint()));
  }

  @Test
  void theDefinitionFollowsWhatDecidesTheNumbersAndNothingElse() throws Exception {
    Files.createDirectories(dir.resolve("w"));
    Files.writeString(dir.resolve("w/m.params"), "first training");
    String yaml = VALID.replace("train: {epochs: 2}", "weights: w/m.params");
    Suite base = load(yaml);
    String cosmetic =
        "# a comment\n"
            + yaml.replace("description: a test suite", "description: another")
                .replace("batch-size: 16", "batch-size:   16   # per batch")
            + "reports: [json]\nchecks: [\"A.clean.top1 > 1\"]\n";
    assertEquals(
        base.definition(),
        load(cosmetic).definition(),
        "comments, layout, description, checks, reports");
    assertEquals(
        base.fingerprint(),
        load(cosmetic).fingerprint(),
        "the fingerprint follows the bound suite, not the text");
    // written another way: block style for flow, other key order, a default spelled out, another
    // name
    String rewritten =
        yaml.replace("name: demo", "name: renamed")
            .replace(
                "dataset: {id: tiny, split: test, limit: 30, size: 60}",
                "dataset:\n  size: 60\n  limit: 30\n  id: tiny\n  split: test")
            .replace(
                "- id: salt-and-pepper\n    amount: [0.01, 0.05]",
                "- amount:\n      - 0.01\n      - 0.05\n    salt-vs-pepper: 0.5\n    id: salt-and-pepper");
    assertNotEquals(yaml, rewritten);
    assertEquals(base.definition(), load(rewritten).definition(), "the same bound suite");
    assertEquals(base.fingerprint(), load(rewritten).fingerprint());
    assertNotEquals(
        base.definition(),
        load(yaml.replace("amount: [0.01, 0.05]", "amount: [0.01, 0.05]\n    salt-vs-pepper: 0.6"))
            .definition(),
        "a default changed is a value changed");
    Files.writeString(dir.resolve("w/m.params"), "retrained");
    assertEquals(
        base.definition(), load(yaml).definition(), "weights are compared one by one, not here");
    assertNotEquals(
        base.definition(),
        load(yaml.replace("amount: [0.01, 0.05]", "amount: [0.01, 0.06]")).definition());
    assertNotEquals(
        base.definition(), load(yaml.replace("batch-size: 16", "batch-size: 17")).definition());
    assertNotEquals(base.definition(), base.withSeed(8).definition());
    assertNotEquals(base.definition(), base.withLimit(10).definition());
    // an alias stands for its anchor's value: written either way, the suite is the same
    String anchored =
        yaml.replace("name: demo", "name: &suite demo")
            .replace("amount: [0.01, 0.05]", "amount: [0.01, 0.05]\n    name: *suite");
    String spelled = yaml.replace("amount: [0.01, 0.05]", "amount: [0.01, 0.05]\n    name: demo");
    assertEquals(load(spelled).definition(), load(anchored).definition(), "aliases are resolved");
  }

  @Test
  void fingerprintFollowsTheWeightsContent() throws Exception {
    Files.createDirectories(dir.resolve("w"));
    Files.writeString(dir.resolve("w/m.params"), "first training");
    String yaml = VALID.replace("train: {epochs: 2}", "weights: w/m.params");
    String first = load(yaml).fingerprint();
    assertEquals(first, load(yaml).fingerprint());
    Files.writeString(dir.resolve("w/m.params"), "retrained");
    assertTrue(
        !first.equals(load(yaml).fingerprint()),
        "retrained weights under the same path are another run");
  }

  @Test
  void checksAreParsedAndTheirReferencesResolved() {
    Suite s =
        load(VALID + "checks:\n  - \"A.clean.top1 >= A.salt-and-pepper[amount=0.05].top1\"\n");
    assertEquals(1, s.checks().size());
    assertEquals(">=", s.checks().get(0).comparison());
  }

  @Test
  void malformedChecksAreReportedWithTheirPlace() {
    List<SuiteProblem> p =
        problems(
            VALID + "checks:\n  - \"A.clean.top1 >= \"\n  - \"B.clean.top1 > 1\"\n  - {x: 1}\n");
    assertEquals(3, p.size(), p::toString);
    assertEquals("checks[0]", p.get(0).path());
    assertEquals(19, p.get(0).line());
    assertTrue(p.get(0).problem().contains("expected a number"), p.get(0).problem());
    assertTrue(p.get(1).problem().contains("does not start with a model name"), p.get(1).problem());
    assertTrue(p.get(1).fix().contains("MODEL.CASE.METRIC"), p.get(1).fix());
    assertTrue(p.get(2).problem().contains("one line of text"), p.get(2).problem());
  }

  @Test
  void speedSectionIsOptionalAndTakesDefaults() {
    assertNull(load(VALID).speed(), "no speed: section, no speed measurement");
    SpeedSpec d = load(VALID + "speed: {}\n").speed();
    assertEquals(List.of(1, 32, 128), d.batchSizes());
    assertEquals(5, d.warmup());
    assertEquals(30, d.iterations());
    assertNull(d.threads());
    assertEquals(d, load(VALID + "speed:\n").speed(), "a bare 'speed:' means every default");
    SpeedSpec s =
        load(VALID + "speed: {batch-sizes: [1, 64], warmup: 0, iterations: 3, threads: 2}\n")
            .speed();
    assertEquals(new SpeedSpec(List.of(1, 64), 0, 3, 2), s);
    assertEquals(
        List.of(8),
        load(VALID + "speed: {batch-sizes: 8}\n").speed().batchSizes(),
        "one size needs no list");
  }

  @Test
  void misspelledSpeedKeyNamesItsLocationAndTheKnownKeys() {
    SuiteProblem p = only(VALID + "speed:\n  batch-size: [1, 32]\n  iterations: 10\n");
    assertEquals("speed.batch-size", p.path());
    assertEquals(19, p.line());
    assertEquals(3, p.column());
    assertTrue(
        p.problem().contains("unknown key 'batch-size'; did you mean 'batch-sizes'?"), p.problem());
    assertTrue(p.fix().contains("batch-sizes, iterations, threads, warmup"), p.fix());
    assertTrue(p.format().startsWith("suite.yaml:19:3: speed.batch-size: unknown key"), p.format());
  }

  @Test
  void zeroBatchSizeInSpeedIsReportedAtItsValue() {
    SuiteProblem p = only(VALID + "speed: {batch-sizes: [1, 0, 128]}\n");
    assertEquals("speed.batch-sizes[1]", p.path());
    assertEquals(18, p.line());
    assertEquals(26, p.column());
    assertTrue(p.problem().contains("expected an integer in [1, 65536], found 0"), p.problem());
  }

  @Test
  void badSpeedValuesAreAllReported() {
    List<SuiteProblem> ps =
        problems(VALID + "speed: {batch-sizes: [32, 32], warmup: -1, iterations: 0, threads: 0}\n");
    assertEquals(
        List.of("speed.batch-sizes[1]", "speed.warmup", "speed.iterations", "speed.threads"),
        ps.stream().map(SuiteProblem::path).toList(),
        ps.toString());
    assertTrue(ps.get(0).problem().contains("batch size 32 is listed twice"), ps.get(0).problem());
    assertTrue(
        only(VALID + "speed: {batch-sizes: []}\n").problem().contains("'batch-sizes' is empty"));
    assertTrue(
        only(VALID + "speed: {iterations: 2.5}\n").problem().contains("expected an integer"));
    assertTrue(only(VALID + "speed: fast\n").problem().contains("expected a mapping"));
    List<SuiteProblem> both = problems(VALID + "speed: {batch: [8], iterations: 0}\n");
    assertEquals(
        List.of("speed.batch", "speed.iterations"),
        both.stream().map(SuiteProblem::path).toList(),
        "an unknown key does not hide the other problems");
  }

  @Test
  void unknownKeysAfterTheFirstOrWithListValuesAreLocatedExactly() {
    List<SuiteProblem> p =
        problems(
            VALID.replace("train: {epochs: 2}", "train: {epochs: 2, bogus: [1], other: {a: 1}}"));
    assertEquals(
        List.of("models[0].train.bogus", "models[0].train.other"),
        p.stream().map(SuiteProblem::path).toList(),
        p::toString);
    assertEquals(8, p.get(0).line());
    assertEquals(24, p.get(0).column());
    assertEquals(36, p.get(1).column());
  }
}
