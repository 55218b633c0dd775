package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.ModelCost;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.SpeedResult;
import io.qrbench.store.ResultsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite's {@code speed:} section and each model's cost, on real plugins. Times are never
 * asserted.
 */
class SpeedAndCostTest {
  @TempDir Path dir;
  private String console;

  private RunResult run(String yaml) throws IOException {
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(suite, yaml);
    CliRunner r = CliRunner.run("run", suite.toString(), "--out", dir.resolve("out").toString());
    assertEquals(0, r.exitCode(), r::toString);
    console = r.out();
    return ResultsJson.read(dir.resolve("out/results.json"));
  }

  @Test
  void speedIsMeasuredForEveryModelAndBatchSize() throws IOException {
    RunResult r =
        run(
            """
        name: speed
        seed: 3
        dataset: {id: synthetic, train-size: 64, test-size: 48}
        models:
          - {name: FP, model: {id: small-cnn, width: 4}, train: {epochs: 1, batch-size: 32}}
          - {name: TWN, model: {id: small-cnn, width: 4}, quantizer: twn, train: {epochs: 1, batch-size: 32}}
        perturbations: [none]
        speed: {batch-sizes: [1, 8, 64], warmup: 1, iterations: 6}
        """);
    assertEquals(
        List.of("FP/1", "FP/8", "FP/64", "TWN/1", "TWN/8", "TWN/64"),
        r.speed().stream().map(s -> s.model() + "/" + s.batchSize()).toList(),
        "64 > 48 images: they are cycled");
    for (SpeedResult s : r.speed()) {
      assertEquals(6, s.iterations(), s::toString);
      assertEquals(1, s.warmup(), s::toString);
      assertTrue(0 < s.p50Ms() && s.p50Ms() <= s.p90Ms() && s.p90Ms() <= s.p99Ms(), s::toString);
      assertTrue(s.imagesPerSecond() > 0, s::toString);
      assertEquals(
          s.batchSize() * 1000 / s.meanMs(), s.imagesPerSecond(), 1e-9 * s.imagesPerSecond());
      assertTrue(s.stdMs() >= 0 && s.imagesPerSecondStd() >= 0, s::toString);
      assertTrue(s.loadSeconds() > 0, s::toString);
      assertTrue(s.threads() >= 1, s::toString);
      assertTrue(s.peakRssBytes() > 0 || !Files.exists(Path.of("/proc/self/status")), s::toString);
    }
    assertTrue(console.contains("speed TWN                  batch   64  p50"), console);
  }

  @Test
  void resnet20CostsItsKnownMultiplyAccumulatesAndTwnMakesAllButTheEndsLowBit() throws IOException {
    RunResult r =
        run(
            """
        name: cost
        dataset: {id: synthetic, train-size: 8, test-size: 8}
        models:
          - {name: FP, model: {id: resnet-cifar, depth: 20}, train: {epochs: 1, batch-size: 8}}
          - {name: TWN, model: {id: resnet-cifar, depth: 20}, quantizer: twn, train: {epochs: 1, batch-size: 8}}
        perturbations: [none]
        """);
    assertTrue(r.speed().isEmpty(), "no speed: section, no speed results");
    // He et al. 2016: a 3x3 stem to 16 channels, then 3 stages of 3 basic blocks (two 3x3 convs
    // each)
    // at 16, 32, 64 channels on 32x32, 16x16, 8x8 maps; option-A shortcuts have no weights.
    long stem = 32 * 32 * 16 * (3 * 9);
    long stage1 = 6L * 32 * 32 * 16 * (16 * 9);
    long stage2 = 16 * 16 * 32 * (16 * 9) + 5L * 16 * 16 * 32 * (32 * 9);
    long stage3 = 8 * 8 * 64 * (32 * 9) + 5L * 8 * 8 * 64 * (64 * 9);
    long fc = 64 * 10;
    long total = stem + stage1 + stage2 + stage3 + fc;
    assertEquals(40_551_040L, total, "ResNet-20 is ~41 M MACs per 32x32 image");
    Map<String, ModelResult> m =
        r.models().stream().collect(Collectors.toMap(ModelResult::name, Function.identity()));
    ModelCost fp = m.get("FP").cost();
    ModelCost twn = m.get("TWN").cost();
    assertEquals(total, fp.macs());
    assertEquals(total, twn.macs());
    assertEquals(0.0, fp.lowBitMacShare());
    assertEquals(
        (double) (total - stem - fc) / total,
        twn.lowBitMacShare(),
        "exactly: every layer but stem and fc");
    assertEquals(269_722, fp.parameters());
    assertEquals(4 * 269_722, fp.fp32Bytes());
    assertEquals(fp.fp32Bytes(), fp.packedBytes(), "fp32 packs nothing");
    assertEquals(fp.fp32Bytes(), twn.fp32Bytes());
    assertTrue(twn.packedBytes() < fp.fp32Bytes() / 10, "ternary kernels take ~1.6 bits: " + twn);
    assertTrue(twn.zeroFraction() > 0.2, "TWN zeroes the small weights: " + twn);
    assertTrue(
        console.contains("TWN: 40.55 M MACs per image, 98.9% of them on ternary/binary weights"),
        console);
  }
}
