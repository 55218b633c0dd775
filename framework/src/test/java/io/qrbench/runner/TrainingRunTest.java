package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import io.qrbench.result.CaseResult;
import io.qrbench.result.RunResult;
import io.qrbench.suite.SuiteException;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.suite.TrainingSpec;
import io.qrbench.suite.TrainingSpecLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.train.EpochLog;
import io.qrbench.train.TrainingListener;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
  private static final String SPEC =
      """
      name: tiny-mlp
      seed: 4
      model: {id: tiny-linear, hidden: 8}
      dataset: {id: tiny, size: 120, test-limit: 60}
      epochs: 3
      batch-size: 16
      optimizer: {learning-rate: 0.05, nesterov: true}
      schedule: {type: step, milestones: [2], warmup-epochs: 0.5}
      augment: {crop-padding: 1, flip: true}
      """;

  @TempDir Path dir;

  private TrainingSpec spec(String yaml) {
    return new TrainingSpecLoader(FakePlugins.registry()).parse("spec.yaml", yaml, dir);
  }

  private static TrainingRun.Result train(
      TrainingSpec spec, Path out, boolean resume, TrainingListener l) {
    return new TrainingRun(l).run(spec, new TrainingRun.Options(out, resume, false));
  }

  /** The parameter bytes of a weights file (everything after the metadata). */
  private static byte[] parameters(Path weights) throws Exception {
    byte[] all = Files.readAllBytes(weights);
    int len = java.nio.ByteBuffer.wrap(all, 6, 4).getInt();
    return Arrays.copyOfRange(all, 10 + len, all.length);
  }

  @Test
  void trainsLogsChecksAndSavesWeightsWithMetadata() throws Exception {
    Path out = dir.resolve("out");
    TrainingRun.Result r = train(spec(SPEC), out, false, new TrainingListener() {});
    assertEquals(3, r.log().size());
    EpochLog last = r.log().get(2);
    assertTrue(last.testTop1() > 80, "the tiny classes are easy: " + last);
    assertTrue(r.log().get(0).trainLoss() > last.trainLoss(), "loss falls");
    assertEquals(0.005, last.learningRate(), 1e-9, "after milestone 2 the rate is 0.05 x 0.1");
    WeightsMetadata m = WeightsFile.readMetadata(r.weights());
    assertEquals("tiny-linear", m.architecture());
    assertEquals(8, ((Number) m.modelConfig().get("hidden")).intValue());
    assertEquals("tiny", m.dataset());
    assertEquals(last.testTop1(), m.testTop1());
    assertEquals(3, m.epochs());
    assertEquals(4, m.seed());
    assertEquals(List.of(3, 8, 8), m.inputShape());
    assertEquals(64, m.sha256().length());
    assertTrue(Files.readString(out.resolve("log.csv")).startsWith(EpochLog.CSV_HEADER + "\n1,"));
    assertTrue(
        Files.readString(WeightsFile.sidecar(r.weights()))
            .contains("\"architecture\" : \"tiny-linear\""));
  }

  @Test
  void aResumedTrainingEqualsAnUninterruptedOneBitForBit() throws Exception {
    TrainingSpec spec = spec(SPEC);
    TrainingRun.Result whole = train(spec, dir.resolve("whole"), false, new TrainingListener() {});

    class Stop extends RuntimeException {
      private static final long serialVersionUID = 1L;
    }
    Path broken = dir.resolve("broken");
    assertThrows(
        Stop.class,
        () ->
            train(
                spec,
                broken,
                false,
                new TrainingListener() {
                  @Override
                  public void epochFinished(EpochLog log) {
                    if (log.epoch() == 1) {
                      throw new Stop();
                    }
                  }
                }));
    assertTrue(Files.exists(broken.resolve(TrainingRun.CHECKPOINT)));
    ConfigException again =
        assertThrows(
            ConfigException.class, () -> train(spec, broken, false, new TrainingListener() {}));
    assertTrue(again.getMessage().contains("--resume"), again.getMessage());

    TrainingRun.Result resumed = train(spec, broken, true, new TrainingListener() {});
    assertArrayEquals(parameters(whole.weights()), parameters(resumed.weights()));
    assertEquals(
        whole.log().stream()
            .map(e -> List.of(e.trainLoss(), e.trainTop1(), e.testTop1(), e.learningRate()))
            .toList(),
        resumed.log().stream()
            .map(e -> List.of(e.trainLoss(), e.trainTop1(), e.testTop1(), e.learningRate()))
            .toList());

    ConfigException other =
        assertThrows(
            ConfigException.class,
            () -> train(spec.withEpochs(5), broken, true, new TrainingListener() {}));
    assertTrue(other.getMessage().contains("different spec"), other.getMessage());
  }

  @Test
  void fineTuningChecksTheStartingWeights() throws Exception {
    TrainingRun.Result fp = train(spec(SPEC), dir.resolve("fp"), false, new TrainingListener() {});
    Files.copy(fp.weights(), dir.resolve("fp.params"));
    String tune = SPEC.replace("epochs: 3", "epochs: 1\ninit: fp.params");
    TrainingRun.Result tuned =
        train(spec(tune), dir.resolve("tuned"), false, new TrainingListener() {});
    assertTrue(tuned.log().get(0).testTop1() > 80, "starts from the trained model");

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                train(
                    spec(tune.replace("hidden: 8", "hidden: 5")),
                    dir.resolve("bad"),
                    false,
                    new TrainingListener() {}));
    assertTrue(
        e.getMessage().contains("hidden: the file holds 8, the suite asks for 5"), e.getMessage());
  }

  @Test
  void aFineTuningResumesInAnotherCloneButNotFromOtherStartingWeights() throws Exception {
    TrainingRun.Result fp = train(spec(SPEC), dir.resolve("fp"), false, new TrainingListener() {});
    Path elsewhere = Files.createDirectories(dir.resolve("clone/models"));
    Files.copy(fp.weights(), dir.resolve("fp.params"));
    Files.copy(fp.weights(), elsewhere.resolve("fp.params"));
    String tune = SPEC.replace("epochs: 3", "epochs: 1\ninit: fp.params");
    TrainingSpec here = spec(tune);
    TrainingSpec there =
        new TrainingSpecLoader(FakePlugins.registry()).parse("spec.yaml", tune, elsewhere);
    assertTrue(!here.init().equals(there.init()), "two paths");
    assertEquals(
        here.fingerprint(), there.fingerprint(), "the same starting weights, wherever they lie");

    TrainingRun.Result other =
        train(
            spec(SPEC.replace("seed: 4", "seed: 5")),
            dir.resolve("fp5"),
            false,
            new TrainingListener() {});
    Files.copy(
        other.weights(),
        elsewhere.resolve("fp.params"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    TrainingSpec changed =
        new TrainingSpecLoader(FakePlugins.registry()).parse("spec.yaml", tune, elsewhere);
    assertTrue(
        !here.fingerprint().equals(changed.fingerprint()),
        "other starting weights, another training");
    assertEquals(spec(SPEC).fingerprint(), spec(SPEC).fingerprint());
  }

  @Test
  void aSuiteRefusesWeightsOfAnotherArchitectureClearly() throws Exception {
    TrainingRun.Result fp = train(spec(SPEC), dir.resolve("fp"), false, new TrainingListener() {});
    Files.copy(fp.weights(), dir.resolve("fp.params"));
    String suite =
        """
        name: s
        dataset: {id: tiny, size: 30}
        models:
          - {name: right, model: {id: tiny-linear, hidden: 8}, weights: fp.params}
          - {name: wrong, model: {id: tiny-linear, hidden: 16}, weights: fp.params}
        """;
    RunResult r =
        new Runner(new RunListener() {})
            .run(
                new SuiteLoader(FakePlugins.registry()).parse("s.yaml", suite, dir),
                new Runner.Options(dir.resolve("run"), false, false));
    CaseResult right = r.cases().get(0);
    CaseResult wrong = r.cases().get(1);
    assertTrue(right.ok());
    assertTrue(right.metrics().top1() > 80);
    assertTrue(
        wrong.error().contains("do not fit the suite's model")
            && wrong.error().contains("hidden: the file holds 8, the suite asks for 16"),
        wrong.error());
  }

  @Test
  void aCorruptWeightsFileIsNamed() throws Exception {
    TrainingRun.Result fp = train(spec(SPEC), dir.resolve("fp"), false, new TrainingListener() {});
    byte[] bytes = Files.readAllBytes(fp.weights());
    bytes[bytes.length - 3] ^= 0x55;
    Path bad = dir.resolve("bad.params");
    Files.write(bad, bytes);
    ConfigException e = assertThrows(ConfigException.class, () -> WeightsFile.readMetadata(bad));
    assertTrue(
        e.getMessage().contains("is damaged") && e.getMessage().contains("SHA-256"),
        e.getMessage());
    Files.writeString(bad, "hello");
    e = assertThrows(ConfigException.class, () -> WeightsFile.readMetadata(bad));
    assertTrue(e.getMessage().contains("not a qrbench weights file"), e.getMessage());
  }

  @Test
  void quantizationAwareTrainingPassesGradientsThroughTheHook() {
    String qat = SPEC.replace("epochs: 3", "epochs: 4\nquantizer: sign");
    TrainingRun.Result r = train(spec(qat), dir.resolve("qat"), false, new TrainingListener() {});
    assertTrue(
        r.log().get(0).trainLoss() > r.log().get(3).trainLoss(),
        "latent weights learn through the straight-through estimator");
    assertTrue(
        r.log().get(3).testTop1() > 60, "a sign-quantized hidden layer still learns: " + r.log());
    assertEquals("sign", WeightsFile.readMetadata(r.weights()).quantizer());
  }

  @Test
  void specErrorsAreReportedLikeSuiteErrors() {
    SuiteException e =
        assertThrows(
            SuiteException.class,
            () ->
                spec(
                    SPEC.replace("nesterov: true", "nesterow: true")
                        .replace("type: step", "type: cosin")));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("2 problems in spec.yaml:"), msg);
    assertTrue(
        msg.contains("optimizer.nesterow: unknown key 'nesterow'; did you mean 'nesterov'?"), msg);
    assertTrue(
        msg.contains("type must be one of constant, step, cosine, one-cycle, was 'cosin'"), msg);
    SuiteException epochs =
        assertThrows(SuiteException.class, () -> spec(SPEC.replace("epochs: 3\n", "")));
    assertTrue(epochs.getMessage().contains("missing key 'epochs'"), epochs.getMessage());
    SuiteException init =
        assertThrows(SuiteException.class, () -> spec(SPEC + "init: missing.params\n"));
    assertTrue(init.getMessage().contains("weights file not found"), init.getMessage());
  }
}
