package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.reports.stats.PairedComparison;
import io.qrbench.result.CaseResult;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy:} in a suite: the shipped models exported to ONNX and evaluated on ONNX Runtime
 * beside themselves on all 10,000 CIFAR-10 test images. The FP32 export gets exactly the images
 * right that PyTorch does; the int8 TWN and TTQ keep their clean top-1 to 0.3 points. Bad
 * deployments are validation errors.
 */
class DeploymentTest {
  @TempDir Path dir;

  private static final String MODELS =
      """
        - {name: FP, model: {id: resnet-cifar, depth: 20}, weights: %1$s/resnet20-fp/resnet20-fp.params}
        - {name: TWN, model: {id: resnet-cifar, depth: 20}, quantizer: {id: twn, delta: 0.7}, weights: %1$s/resnet20-twn/resnet20-twn.qrbq}
        - {name: TTQ, model: {id: resnet-cifar, depth: 20}, quantizer: {id: ttq, threshold: 0.2, granularity: channel}, weights: %1$s/resnet20-ttq/resnet20-ttq.qrbq}
      """;

  private String suite(String extraModels, String limit) {
    return """
        name: deploy-test
        seed: 1
        dataset: {id: cifar10, split: test%s}
        models:
        %s%s
        perturbations: [none]
        reports: [json, html]
        """
        .formatted(
            limit,
            MODELS.formatted(ShippedModelsTest.MODELS.toAbsolutePath().normalize()),
            extraModels);
  }

  private CliRunner run(String command, String yaml) throws IOException {
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(suite, yaml);
    return command.equals("run")
        ? CliRunner.run("run", suite.toString(), "--out", dir.resolve("out").toString())
        : CliRunner.run(command, suite.toString());
  }

  @Test
  void deployedModelsAgreeWithTheirSourcesOnTheFullTestSet() throws IOException {
    ShippedModelsTest.requireCifar10();
    CliRunner r =
        run(
            "run",
            suite(
                """
                  - {name: FP-ort32, deploy: {from: FP, precision: fp32}}
                  - {name: TWN-int8, deploy: {from: TWN}}
                  - {name: TTQ-int8, deploy: {from: TTQ, calibration: 512}}
                """,
                ""));
    assertEquals(0, r.exitCode(), r::toString);
    RunResult result = ResultsJson.read(dir.resolve("out/results.json"));
    Map<String, CaseResult> clean =
        result.cases().stream().collect(Collectors.toMap(CaseResult::model, c -> c));
    Map<String, ModelResult> models =
        result.models().stream().collect(Collectors.toMap(ModelResult::name, m -> m));
    assertEquals("onnxruntime fp32", models.get("FP-ort32").backend());
    assertEquals("onnxruntime int8", models.get("TWN-int8").backend());
    assertEquals("TWN", models.get("TWN-int8").deployedFrom());
    assertEquals(null, models.get("TWN").deployedFrom());
    assertTrue(
        Files.isRegularFile(dir.resolve("out/deployments/TTQ-int8.onnx")), "the exported file");
    // FP32 on ONNX Runtime: the same images right, image by image
    PairedComparison fp = PairedComparison.of(clean.get("FP"), clean.get("FP-ort32"));
    assertEquals(10_000, fp.n());
    assertEquals(0, fp.discordant(), "images only one of PyTorch and ONNX Runtime gets right");
    for (String q : new String[] {"TWN", "TTQ"}) {
      double source = clean.get(q).metrics().top1();
      double deployed = clean.get(q + "-int8").metrics().top1();
      System.out.printf(
          "DeploymentTest: %s %.2f%%, int8 on ONNX Runtime %.2f%%%n", q, source, deployed);
      assertTrue(
          Math.abs(deployed - source) <= 0.3,
          q + " int8 " + deployed + "% against " + source + "% on PyTorch");
    }
    String html = Files.readString(dir.resolve("out/index.html"));
    assertTrue(html.contains("id=\"deployment\""), "the deployment parity section");
    assertTrue(
        html.contains("class=\"data deployment-table\" data-a=\"TWN\" data-b=\"TWN-int8\""),
        "TWN-int8 paired with TWN");
  }

  @Test
  void aDeploymentWithItsOwnWeightsIsRefused() throws IOException {
    CliRunner r =
        run(
            "validate",
            suite("  - {name: X, deploy: {from: TWN}, weights: x.onnx}\n", ", limit: 10"));
    assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
    assertTrue(r.err().contains("has no 'weights' of its own"), r::toString);
  }

  @Test
  void anUnknownOrDeployedSourceIsRefusedWithTheClosestName() throws IOException {
    CliRunner r =
        run(
            "validate",
            suite(
                "  - {name: X, deploy: {from: TWM}}\n  - {name: Y, deploy: {from: X}}\n",
                ", limit: 10"));
    assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
    assertTrue(
        r.err().contains("no model named 'TWM' in the suite; did you mean 'TWN'?"), r::toString);
    assertTrue(r.err().contains("'X' is itself a deployment"), r::toString);
  }

  @Test
  void aWhiteBoxAttackOnADeploymentIsRefused() throws IOException {
    CliRunner r =
        run(
            "validate",
            suite("  - {name: X, deploy: {from: TWN}}\n", ", limit: 10")
                .replace(
                    "perturbations: [none]", "perturbations: [none, {id: fgsm, epsilon: 0.01}]"));
    assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
    assertTrue(r.err().contains("source:"), r::toString);
  }
}
