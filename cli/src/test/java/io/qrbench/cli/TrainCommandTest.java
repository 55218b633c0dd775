package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qrbench train} on synthetic data, then a suite evaluating what it wrote. */
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void trainsToHighAccuracyInAFewEpochsAndASuiteReproducesItsTestScore() throws IOException {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(
        spec,
        """
        name: cnn
        seed: 3
        model: {id: small-cnn, width: 8}
        dataset: {id: synthetic, train-size: 2000, test-size: 500}
        epochs: 3
        batch-size: 64
        optimizer: {learning-rate: 0.05, nesterov: true, weight-decay: 5e-4}
        schedule: {type: one-cycle}
        augment: {crop-padding: 2, flip: true}
        """);
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("train", spec.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("epoch   3"), r::toString);
    WeightsMetadata meta = WeightsFile.readMetadata(out.resolve("cnn.params"));
    assertTrue(meta.testTop1() > 85, "10 classes, 3 epochs: " + meta.testTop1());
    assertEquals(4, Files.readAllLines(out.resolve("log.csv")).size(), "header and 3 epochs");
    assertTrue(Files.exists(out.resolve("checkpoint.qrbc")));

    CliRunner again = CliRunner.run("train", spec.toString(), "--out", out.toString());
    assertEquals(2, again.exitCode(), "a second training into the same folder must be asked for");
    assertTrue(again.err().contains("--resume"), again::toString);

    Path suite = dir.resolve("suite.yaml");
    Files.writeString(
        suite,
        """
        name: eval
        dataset: {id: synthetic, train-size: 2000, test-size: 500}
        models:
          - {name: cnn, model: {id: small-cnn, width: 8}, weights: out/cnn.params}
        """);
    CliRunner run = CliRunner.run("run", suite.toString(), "--out", dir.resolve("run").toString());
    assertEquals(0, run.exitCode(), run::toString);
    RunResult res = ResultsJson.read(dir.resolve("run/results.json"));
    assertEquals(
        meta.testTop1(),
        res.cases().get(0).metrics().top1(),
        1e-9,
        "the suite scores the weights exactly as training's own test evaluation did");
  }

  @Test
  void everyShippedTrainingSpecValidates() throws IOException {
    try (Stream<Path> specs = Files.list(Path.of("..", "specs"))) {
      List<Path> files = specs.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertTrue(!files.isEmpty());
      for (Path f : files) {
        assertEquals(
            f.toString(),
            new io.qrbench.suite.TrainingSpecLoader(io.qrbench.registry.PluginRegistry.discover())
                .load(f)
                .file());
      }
    }
  }
}
