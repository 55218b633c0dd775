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
 * {@code fold-batchnorm: true} on the shipped FP, TWN and TTQ, each beside itself unfolded on the
 * first 1,000 CIFAR-10 test images: the same images right clean, and FGSM at 1/255 (whose step
 * follows the sign of the input gradient) the same to within two images.
 */
class FoldBatchNormTest {
  @TempDir Path dir;

  @Test
  void foldedModelsClassifyAndAreAttackedAsTheModelsThemselves() throws IOException {
    ShippedModelsTest.requireCifar10();
    String models = ShippedModelsTest.MODELS.toAbsolutePath().normalize().toString();
    StringBuilder list = new StringBuilder();
    String[][] shipped = {
      {"FP", "", "resnet20-fp/resnet20-fp.params"},
      {"TWN", ", quantizer: {id: twn, delta: 0.7}", "resnet20-twn/resnet20-twn.qrbq"},
      {
        "TTQ",
        ", quantizer: {id: ttq, threshold: 0.2, granularity: channel}",
        "resnet20-ttq/resnet20-ttq.qrbq"
      }
    };
    for (String[] m : shipped) {
      for (String fold : new String[] {"", "-folded"}) {
        list.append(
            "  - {name: %s%s, model: {id: resnet-cifar, depth: 20}%s, weights: %s/%s%s}\n"
                .formatted(
                    m[0],
                    fold,
                    m[1],
                    models,
                    m[2],
                    fold.isEmpty() ? "" : ", fold-batchnorm: true"));
      }
    }
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(
        suite,
        """
        name: fold-test
        seed: 1
        dataset: {id: cifar10, split: test, limit: 1000}
        models:
        %s
        perturbations:
          - none
          - {id: fgsm, epsilon: 0.0039216}
        reports: [json]
        """
            .formatted(list));
    CliRunner r = CliRunner.run("run", suite.toString(), "--out", dir.resolve("out").toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(
        (r.out() + r.err()).contains("BatchNorm folded into the layers before it"), r::toString);
    RunResult result = ResultsJson.read(dir.resolve("out/results.json"));
    Map<String, ModelResult> byName =
        result.models().stream().collect(Collectors.toMap(ModelResult::name, m -> m));
    Map<String, CaseResult> cases =
        result.cases().stream().collect(Collectors.toMap(CaseResult::id, c -> c));
    for (String[] m : shipped) {
      String name = m[0];
      assertEquals("pytorch fp32", byName.get(name).backend());
      assertEquals("pytorch fp32, BatchNorm folded", byName.get(name + "-folded").backend());
      PairedComparison clean =
          PairedComparison.of(cases.get(name + "/none"), cases.get(name + "-folded/none"));
      assertEquals(1000, clean.n());
      assertEquals(0, clean.discordant(), name + ": images only one of the two gets right");
      PairedComparison fgsm =
          PairedComparison.of(cases.get(name + "/fgsm"), cases.get(name + "-folded/fgsm"));
      System.out.printf(
          "FoldBatchNormTest: %s FGSM 1/255 %.1f%% unfolded, %.1f%% folded, %d discordant%n",
          name,
          cases.get(name + "/fgsm").metrics().top1(),
          cases.get(name + "-folded/fgsm").metrics().top1(),
          fgsm.discordant());
      assertTrue(fgsm.discordant() <= 2, name + ": FGSM discordant " + fgsm.discordant());
    }
  }
}
