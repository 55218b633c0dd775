package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import io.qrbench.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Post-training quantization to packed files, and suites evaluating them. */
class QuantizeCommandTest {
  @TempDir static Path dir;
  static Path fp;

  @BeforeAll
  static void trainAModel() throws IOException {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec,
        """
        name: cnn
        seed: 2
        model: {id: small-cnn, width: 16}
        dataset: {id: synthetic, train-size: 2000, test-size: 400}
        epochs: 2
        batch-size: 64
        optimizer: {learning-rate: 0.05}
        augment: {crop-padding: 0, flip: false}
        """);
    CliRunner r = CliRunner.run("train", spec.toString(), "--out", dir.resolve("fp").toString());
    assertEquals(0, r.exitCode(), r::toString);
    fp = dir.resolve("fp/cnn.params");
  }

  private static CliRunner quantize(String quantizer, String out) {
    return CliRunner.run(
        "quantize",
        "--weights",
        fp.toString(),
        "--quantizer",
        quantizer,
        "--out",
        dir.resolve(out).toString());
  }

  @Test
  void packedFilesAreSmallAndEvaluateExactlyLikeQuantizationInTheSuite() throws IOException {
    CliRunner twn = quantize("{id: twn, delta: optimal}", "twn.qrbq");
    assertEquals(0, twn.exitCode(), twn::toString);
    assertTrue(
        twn.out().contains("stage2.conv")
            && twn.out().contains("1.60")
            && twn.out().contains("(full precision)"),
        twn::toString);
    assertEquals(0, quantize("binary", "binary.qrbq").exitCode());
    assertEquals(0, quantize("{id: uniform, bits: 4}", "u4.qrbq").exitCode());
    assertEquals("twn", WeightsFile.readMetadata(dir.resolve("twn.qrbq")).quantizer());
    assertTrue(Files.size(dir.resolve("twn.qrbq")) < Files.size(fp), "packed is smaller than fp32");

    Path suite = dir.resolve("suite.yaml");
    Files.writeString(
        suite,
        """
        name: packed
        dataset: {id: synthetic, train-size: 2000, test-size: 400}
        models:
          - {name: twn-in-suite, model: {id: small-cnn, width: 16}, quantizer: {id: twn, delta: optimal}, weights: fp/cnn.params}
          - {name: twn-packed, model: {id: small-cnn, width: 16}, quantizer: {id: twn, delta: optimal}, weights: twn.qrbq}
          - {name: binary-in-suite, model: {id: small-cnn, width: 16}, quantizer: binary, weights: fp/cnn.params}
          - {name: binary-packed, model: {id: small-cnn, width: 16}, quantizer: binary, weights: binary.qrbq}
          - {name: u4-in-suite, model: {id: small-cnn, width: 16}, quantizer: {id: uniform, bits: 4}, weights: fp/cnn.params}
          - {name: u4-packed, model: {id: small-cnn, width: 16}, quantizer: {id: uniform, bits: 4}, weights: u4.qrbq}
        """);
    CliRunner run = CliRunner.run("run", suite.toString(), "--out", dir.resolve("run").toString());
    assertEquals(0, run.exitCode(), run::toString);
    RunResult res = ResultsJson.read(dir.resolve("run/results.json"));
    Map<String, CaseResult> c =
        res.cases().stream().collect(Collectors.toMap(CaseResult::model, Function.identity()));
    for (String q : new String[] {"twn", "binary", "u4"}) {
      assertEquals(
          c.get(q + "-in-suite").metrics().outcomes(),
          c.get(q + "-packed").metrics().outcomes(),
          q + ": a packed file reads back to exactly the quantized model");
    }
    Map<String, ModelResult> m =
        res.models().stream().collect(Collectors.toMap(ModelResult::name, Function.identity()));
    assertEquals(
        0.0,
        m.get("twn-packed").quantization().layers().get(1).relativeError(),
        1e-12,
        "the packed weights are already ternary");
    assertTrue(run.out().contains("twn-packed: twn, 1 of 3 kernels quantized, "), run::toString);
  }

  @Test
  void aTtqModelTrainedQuantizationAwareReadsBackFromItsPackedFileExactly() throws IOException {
    Path spec = dir.resolve("ttq.yaml");
    Files.writeString(
        spec,
        """
        name: ttq
        seed: 3
        model: {id: small-cnn, width: 16}
        dataset: {id: synthetic, train-size: 2000, test-size: 400}
        quantizer: ttq
        init: fp/cnn.params
        epochs: 1
        batch-size: 64
        optimizer: {learning-rate: 0.02, quantizer-lr-factor: 0.1}
        augment: {crop-padding: 0, flip: false}
        """);
    CliRunner train =
        CliRunner.run("train", spec.toString(), "--out", dir.resolve("ttq").toString());
    assertEquals(0, train.exitCode(), train::toString);
    Path trained = dir.resolve("ttq/ttq.params");
    CliRunner pack =
        CliRunner.run(
            "quantize",
            "--weights",
            trained.toString(),
            "--quantizer",
            "ttq",
            "--out",
            dir.resolve("ttq.qrbq").toString());
    assertEquals(0, pack.exitCode(), pack::toString);
    Path suite = dir.resolve("ttq-suite.yaml");
    Files.writeString(
        suite,
        """
        name: ttq-packed
        dataset: {id: synthetic, train-size: 2000, test-size: 400}
        models:
          - {name: trained, model: {id: small-cnn, width: 16}, quantizer: ttq, weights: ttq/ttq.params}
          - {name: packed, model: {id: small-cnn, width: 16}, quantizer: ttq, weights: ttq.qrbq}
          - {name: untrained-scales, model: {id: small-cnn, width: 16}, quantizer: ttq, weights: fp/cnn.params}
        """);
    CliRunner run =
        CliRunner.run("run", suite.toString(), "--out", dir.resolve("ttq-run").toString());
    assertEquals(0, run.exitCode(), run::toString);
    Map<String, CaseResult> c =
        ResultsJson.read(dir.resolve("ttq-run/results.json")).cases().stream()
            .collect(Collectors.toMap(CaseResult::model, Function.identity()));
    assertEquals(
        c.get("trained").metrics().outcomes(),
        c.get("packed").metrics().outcomes(),
        "the trained scales survive packing: the packed file is the trained model");
    assertEquals(
        WeightsFile.readMetadata(trained).testTop1(),
        c.get("trained").metrics().top1(),
        1e-9,
        "the suite scores the trained model as training's own evaluation did");
    assertTrue(
        !c.get("trained")
            .metrics()
            .outcomes()
            .equals(c.get("untrained-scales").metrics().outcomes()),
        "training moved the model away from post-training TTQ of its start");
  }

  @Test
  void badQuantizerValuesAreClearErrors() {
    CliRunner r = quantize("{id: twn, delta: optimum}", "x.qrbq");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--quantizer") && r.err().contains("'optimal'"), r::toString);
    CliRunner u = quantize("tnw", "x.qrbq");
    assertEquals(2, u.exitCode());
    assertTrue(u.err().contains("did you mean 'twn'?"), u::toString);
  }
}
