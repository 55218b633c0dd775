package io.qrbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.io.FullDisk;
import io.qrbench.runner.RunListener;
import io.qrbench.runner.Runner;
import io.qrbench.runner.TrainingRun;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.suite.TrainingSpec;
import io.qrbench.suite.TrainingSpecLoader;
import io.qrbench.testing.FakePlugins;
import io.qrbench.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training's output folder: locked while it trains; on a full disk, one message and nothing half
 * written.
 */
class TrainingOutputTest {
  private static final String SPEC =
      """
      name: tiny-mlp
      seed: 4
      model: {id: tiny-linear, hidden: 8}
      dataset: {id: tiny, size: 120, test-limit: 60}
      epochs: 3
      batch-size: 16
      optimizer: {learning-rate: 0.05}
      """;

  @TempDir Path dir;

  private TrainingSpec spec() {
    return new TrainingSpecLoader(FakePlugins.registry()).parse("spec.yaml", SPEC, dir);
  }

  private static TrainingRun.Result train(TrainingSpec spec, Path out, boolean resume) {
    return new TrainingRun(new TrainingListener() {})
        .run(spec, new TrainingRun.Options(out, resume, false));
  }

  private static byte[] parameters(Path weights) throws IOException {
    byte[] all = Files.readAllBytes(weights);
    int len = java.nio.ByteBuffer.wrap(all, 6, 4).getInt();
    return Arrays.copyOfRange(all, 10 + len, all.length);
  }

  private static List<String> temporaries(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString())
          .filter(p -> p.endsWith(".tmp") || p.contains(".tmp/"))
          .toList();
    }
  }

  @Test
  void aTrainingHoldsItsFolderAgainstAnotherTrainingOrRun() {
    TrainingSpec spec = spec();
    Path out = dir.resolve("out");
    List<String> refused = new ArrayList<>();
    new TrainingRun(
            new TrainingListener() {
              @Override
              public void epochFinished(EpochLog e) {
                if (e.epoch() == 1) {
                  refused.add(
                      assertThrows(ConfigException.class, () -> train(spec, out, true))
                          .getMessage());
                  String suite =
                      "name: s\ndataset: {id: tiny, size: 30}\nmodels:\n"
                          + "  - {name: m, model: tiny-linear, train: {epochs: 1, batch-size: 16}}\n";
                  refused.add(
                      assertThrows(
                              ConfigException.class,
                              () ->
                                  new Runner(new RunListener() {})
                                      .run(
                                          new SuiteLoader(FakePlugins.registry())
                                              .parse("s.yaml", suite, dir),
                                          new Runner.Options(out, false, false)))
                          .getMessage());
                }
              }
            })
        .run(spec, new TrainingRun.Options(out, false, false));
    assertEquals(2, refused.size());
    String pid = Long.toString(ProcessHandle.current().pid());
    for (String m : refused) {
      assertTrue(
          m.startsWith(
              out.toAbsolutePath()
                  + " is in use by 'qrbench train spec.yaml' (pid "
                  + pid
                  + " on "),
          m);
    }
    assertTrue(
        Files.isRegularFile(out.resolve("tiny-mlp.params")), "the holder finished undisturbed");
    assertFalse(Files.exists(out.resolve("results.json")), "the refused run wrote nothing");
  }

  @Test
  void aFullDiskWhenSavingTheWeightsWritesNeitherFileAndResumingSavesBoth() throws Exception {
    TrainingSpec spec = spec();
    TrainingRun.Result whole = train(spec, dir.resolve("whole"), false);

    Path out = dir.resolve("out");
    QrbenchException e;
    try (FullDisk disk =
        FullDisk.forFiles(out, p -> p.getFileName().toString().equals("tiny-mlp.params.json"))) {
      e = assertThrows(QrbenchException.class, () -> train(spec, out, false));
    }
    String m = e.getMessage();
    assertTrue(
        m.startsWith("cannot save the trained weights: no space left on the device to write "), m);
    assertTrue(m.contains("tiny-mlp.params.json: ") && m.contains(" needed, 0 bytes free; "), m);
    assertTrue(
        m.endsWith(
            "neither tiny-mlp.params nor tiny-mlp.params.json was written, "
                + out.resolve(TrainingRun.CHECKPOINT)
                + " keeps the last epoch; free some space, then run again with --resume"
                + " to save them"),
        m);
    assertFalse(
        Files.exists(out.resolve("tiny-mlp.params")), "not the weights without their metadata");
    assertFalse(Files.exists(out.resolve("tiny-mlp.params.json")));
    assertEquals(List.of(), temporaries(out));

    TrainingRun.Result resumed = train(spec, out, true);
    assertArrayEquals(parameters(whole.weights()), parameters(resumed.weights()));
    assertTrue(
        Files.readString(WeightsFile.sidecar(resumed.weights()))
            .contains(WeightsFile.readMetadata(resumed.weights()).sha256()),
        "the metadata beside it describes these weights");
  }

  @Test
  void aFullDiskAtACheckpointSaysWhichEpochIsKeptAndResumingContinuesFromIt() throws Exception {
    TrainingSpec spec = spec();
    TrainingRun.Result whole = train(spec, dir.resolve("whole"), false);

    Path out = dir.resolve("out");
    Path ckpt = out.resolve(TrainingRun.CHECKPOINT);
    QrbenchException e;
    // the first checkpoint fits, the second does not
    try (FullDisk disk =
        FullDisk.forFiles(out, p -> p.equals(ckpt.toAbsolutePath()) && Files.exists(p))) {
      e = assertThrows(QrbenchException.class, () -> train(spec, out, false));
    }
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot save the checkpoint after epoch 2: no space left on the device to write "
                    + ckpt.toAbsolutePath()
                    + ": "),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith("; " + ckpt + " keeps epoch 1; free some space, then continue with --resume"),
        e.getMessage());
    assertEquals(2, Files.readAllLines(out.resolve("log.csv")).size(), "header and epoch 1");

    TrainingRun.Result resumed = train(spec, out, true);
    assertArrayEquals(parameters(whole.weights()), parameters(resumed.weights()));
  }
}
