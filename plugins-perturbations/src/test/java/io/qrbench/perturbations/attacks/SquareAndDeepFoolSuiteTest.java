package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.RunResult;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * square and deepfool run from a suite on a model whose softmax is saturated (logit margins in the
 * hundreds).
 */
class SquareAndDeepFoolSuiteTest {
  @TempDir Path dir;

  @Test
  void theirKeysBindTheirEpsilonsSweepAndTheirRecordsAgreeWithTheEvaluation() throws Exception {
    Map<PluginKind, List<Plugin<?>>> plugins =
        Map.of(
            PluginKind.MODEL, List.of(new ConfidentNet()),
            PluginKind.DATASET, List.of(new TinyDataset()),
            PluginKind.QUANTIZER, List.of(new FakePlugins.Identity()),
            PluginKind.PERTURBATION, List.of(new FakePlugins.Clean(), new Square(), new DeepFool()),
            PluginKind.REPORT, List.of(new FakePlugins.NoReport()));
    Files.writeString(dir.resolve("confident.bin"), "the model makes its own weights");
    String yaml =
        """
        name: square-deepfool
        seed: 3
        dataset: {id: tiny, size: 30}
        models:
          - {name: m, model: {id: confident-net}, weights: confident.bin}
        perturbations:
          - none
          - {id: square, epsilon: [0.05, 0.25], queries: 60, p-init: 0.5}
          - {id: square, name: square-l2, norm: l2, epsilon: 1.5, queries: 60}
          - {id: deepfool, max-iterations: 30, candidates: 3}
          - {id: deepfool, name: deepfool-linf, norm: linf, overshoot: 0.05}
        batch-size: 20
        """;
    RunResult r =
        new Runner(new RunListener() {})
            .run(
                new SuiteLoader(PluginRegistry.of(plugins)).parse("sd.yaml", yaml, dir),
                new Runner.Options(dir.resolve("o"), false, false));
    Map<String, CaseResult> c =
        r.cases().stream().collect(Collectors.toMap(CaseResult::id, x -> x));
    assertTrue(c.values().stream().allMatch(CaseResult::ok), c.values().toString());
    assertEquals(
        100.0, c.get("m/none").metrics().top1(), "the model is right on every clean image");
    Metrics small = c.get("m/square[epsilon=0.05]").metrics();
    Metrics large = c.get("m/square[epsilon=0.25]").metrics();
    assertTrue(large.top1() <= small.top1(), large.top1() + " <= " + small.top1());
    assertTrue(large.top1() < 50, "a quarter of the pixel range breaks the model: " + large.top1());
    for (String id :
        List.of(
            "m/square[epsilon=0.05]",
            "m/square[epsilon=0.25]",
            "m/square-l2",
            "m/deepfool",
            "m/deepfool-linf")) {
      Metrics m = c.get(id).metrics();
      // every clean image was right, so fooled is exactly the share the evaluation finds wrong
      assertEquals(1 - m.top1() / 100, m.extra().get("fooled"), 1e-9, id);
      assertTrue(
          m.extra().containsKey(Metrics.MEDIAN_L2) && m.extra().containsKey(Metrics.MEDIAN_LINF),
          id);
    }
    assertTrue(small.meanLinf() <= 0.05 + 1e-7 && large.meanLinf() <= 0.25 + 1e-7);
    assertTrue(c.get("m/square-l2").metrics().meanL2() <= 1.5 + 1e-5);
    double queries = large.extra().get("queries");
    assertTrue(queries > 2 && queries < 60, "fooled images stop querying: mean " + queries);
    Metrics df = c.get("m/deepfool").metrics();
    assertEquals(
        1.0,
        df.extra().get("fooled"),
        0.0,
        "DeepFool fools every image of a model without defences");
    assertEquals(1.0, c.get("m/deepfool-linf").metrics().extra().get("fooled"), 0.0);
    assertTrue(
        df.extra().get(Metrics.MEDIAN_L2) > 0 && df.extra().get(Metrics.MEDIAN_L2) < 1.5,
        "DeepFool's L2 is small where Square's 1.5 ball is: " + df.extra());
  }
}
