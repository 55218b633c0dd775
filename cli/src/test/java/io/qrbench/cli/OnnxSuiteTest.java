package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.export.OnnxModel;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ONNX model in a suite, on real plugins: it runs noises and black-box attacks, a white-box
 * attack on it is a validation error unless it crafts on a differentiable model ({@code source:}),
 * and its results say it ran on ONNX Runtime in int8.
 */
class OnnxSuiteTest {
  @TempDir Path dir;

  private static final String HEAD =
      """
      name: onnx
      seed: 5
      dataset: {id: synthetic, train-size: 32, test-size: 16}
      models:
        - {name: FP, model: {id: small-cnn, width: 4}, train: {epochs: 1, batch-size: 16}}
        - {name: INT8, model: onnx, weights: tiny.onnx%s}
      perturbations:
        - none
        - gaussian
        - {id: square, epsilon: 0.03, queries: 20}
      """;

  /** A 1x1 convolution (3 -> 10), its input in QDQ form, averaged and flattened. */
  @BeforeEach
  void writeTheModel() throws IOException {
    OnnxModel m = new OnnxModel("tiny", 17);
    m.input("images", OnnxModel.FLOAT, "N", 3, 32, 32).output("logits", OnnxModel.FLOAT, "N", 10);
    float[] w = new float[30];
    float[] b = new float[10];
    for (int i = 0; i < w.length; i++) {
      w[i] = ((i * 7) % 11 - 5) / 3f;
    }
    m.floats("w", w, 10, 3, 1, 1).floats("b", b, 10);
    m.floats("s", new float[] {1 / 255f}).uint8s("zp", new byte[] {0});
    m.node("QuantizeLinear", List.of("images", "s", "zp"), List.of("q"));
    m.node("DequantizeLinear", List.of("q", "s", "zp"), List.of("dq"));
    m.node("Conv", List.of("dq", "w", "b"), List.of("maps"));
    m.node("GlobalAveragePool", List.of("maps"), List.of("pooled"));
    m.node("Flatten", List.of("pooled"), List.of("logits")).attr("axis", 1L);
    m.metadata("qrbench.macs", "30720");
    Files.write(dir.resolve("tiny.onnx"), m.toBytes());
  }

  private CliRunner run(String yaml) throws IOException {
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(suite, yaml);
    return CliRunner.run("run", suite.toString(), "--out", dir.resolve("out").toString());
  }

  @Test
  void noisesAndSquareRunOnTheOnnxModelAndItsBackendIsRecorded() throws IOException {
    CliRunner r =
        run(
            HEAD.formatted("")
                + "speed: {batch-sizes: [1, 4], warmup: 1, iterations: 3}\n"
                + "reports: [json, html, csv]\n");
    assertEquals(0, r.exitCode(), r::toString);
    RunResult result = ResultsJson.read(dir.resolve("out/results.json"));
    Map<String, ModelResult> models =
        result.models().stream().collect(Collectors.toMap(ModelResult::name, m -> m));
    assertEquals("pytorch fp32", models.get("FP").backend());
    assertEquals("onnxruntime int8", models.get("INT8").backend());
    assertEquals("onnx", models.get("INT8").model());
    assertEquals(30720, models.get("INT8").cost().macs(), "from the file's metadata");
    List<CaseResult> onnx = result.cases().stream().filter(c -> c.model().equals("INT8")).toList();
    assertEquals(
        List.of("none", "gaussian", "square"),
        onnx.stream().map(CaseResult::perturbation).toList());
    for (CaseResult c : onnx) {
      assertEquals(CaseStatus.OK, c.status(), c::toString);
    }
    assertEquals(
        List.of("FP/1", "FP/4", "INT8/1", "INT8/4"),
        result.speed().stream().map(s -> s.model() + "/" + s.batchSize()).toList());
    assertTrue(result.speed().stream().allMatch(s -> s.imagesPerSecond() > 0), result::toString);
    String csv = Files.readString(dir.resolve("out/results.csv"));
    assertTrue(csv.contains("speed/INT8/batch=4,INT8,onnxruntime int8,,batch=4,p50_ms,"), csv);
    assertTrue(csv.contains("speed/FP/batch=1,FP,pytorch fp32,,batch=1,p50_ms,"), csv);
    String html = Files.readString(dir.resolve("out/index.html"));
    assertTrue(html.contains("<td class=\"backend\">onnxruntime int8</td>"), "html speed table");
  }

  @Test
  void aWhiteBoxAttackOnTheOnnxModelIsAValidationErrorThatPointsToSourceAndSquare()
      throws IOException {
    CliRunner r = run(HEAD.formatted("") + "  - {id: fgsm, epsilon: 0.03}\n");
    assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
    String all = r.out() + r.err();
    assertTrue(all.contains("suite.yaml:11:"), all); // the fgsm line
    assertTrue(all.contains("'fgsm'") && all.contains("model 'INT8' (onnx)"), all);
    assertTrue(all.contains("source: FP") && all.contains("square"), all);
    assertTrue(!Files.exists(dir.resolve("out/results.json")), "nothing ran");
  }

  @Test
  void aWhiteBoxAttackCraftedOnTheDifferentiableTwinRuns() throws IOException {
    CliRunner r = run(HEAD.formatted("") + "  - {id: fgsm, epsilon: 0.03, source: FP}\n");
    assertEquals(0, r.exitCode(), r::toString);
    RunResult result = ResultsJson.read(dir.resolve("out/results.json"));
    CaseResult transfer =
        result.cases().stream()
            .filter(c -> c.model().equals("INT8") && c.perturbation().equals("fgsm@FP"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(result.cases()));
    assertEquals(CaseStatus.OK, transfer.status(), transfer::toString);
  }

  @Test
  void aQuantizerOnTheOnnxModelIsAValidationError() throws IOException {
    CliRunner r = run(HEAD.formatted(", quantizer: twn"));
    assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
    String all = r.out() + r.err();
    assertTrue(all.contains("an ONNX model is already deployed: quantize it before export"), all);
    assertTrue(all.contains("suite.yaml:6:"), all);
  }
}
