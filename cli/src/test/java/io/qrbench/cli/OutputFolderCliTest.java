package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.io.FullDisk;
import io.qrbench.result.CaseResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.store.ResultsJson;
import io.qrbench.util.FolderLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code train} on a folder another process holds, and on a full disk. */
class OutputFolderCliTest {
  private static final String SUITE =
      """
      name: small
      seed: 3
      dataset: {id: synthetic, split: test, train-size: 500, test-size: 200}
      models:
        - name: cnn
          model: {id: small-cnn, width: 8}
          train: {epochs: 1, batch-size: 50, learning-rate: 0.05}
      perturbations:
        - none
        - {id: gaussian, var: [0.01, 0.1]}
      batch-size: 50
      reports: [json, csv, markdown]
      """;
  private static final String SPEC =
      """
      name: cnn
      seed: 3
      model: {id: small-cnn, width: 4}
      dataset: {id: synthetic, train-size: 300, test-size: 100}
      epochs: 1
      batch-size: 50
      """;

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static Map<String, List<Object>> numbers(RunResult r) {
    return r.cases().stream()
        .collect(
            Collectors.toMap(
                CaseResult::id,
                c ->
                    List.of(
                        c.status(),
                        c.metrics().top1(),
                        c.metrics().meanAbs(),
                        c.metrics().outcomes())));
  }

  /** One line on stderr, no Java class name, no stack trace. */
  private static void oneLine(CliRunner r) {
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), r::toString);
    assertFalse(
        err.contains("Exception") || err.contains("\tat ") || err.contains("io.qrbench."),
        r::toString);
  }

  @Test
  void runAndTrainOnAFolderInUseExit2NamingTheHolderAndTheFix() throws IOException {
    Path suite = write("small.yaml", SUITE);
    Path spec = write("spec.yaml", SPEC);
    Path out = dir.resolve("out");
    String pid = Long.toString(ProcessHandle.current().pid());
    try (FolderLock held = FolderLock.acquire(out, "qrbench run other.yaml", m -> {})) {
      for (String[] args :
          List.of(
              new String[] {"run", suite.toString(), "--out", out.toString()},
              new String[] {"run", suite.toString(), "--out", out.toString(), "--resume"},
              new String[] {"train", spec.toString(), "--out", out.toString()})) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r::toString);
        oneLine(r);
        assertTrue(
            r.err()
                .startsWith(
                    out.toAbsolutePath()
                        + " is in use by 'qrbench run other.yaml' (pid "
                        + pid
                        + " on "),
            r::toString);
        assertTrue(r.err().strip().endsWith("or pass --out to write elsewhere"), r::toString);
      }
    }
    assertFalse(
        Files.exists(out.resolve("results.json")) || Files.exists(out.resolve("cnn.params")),
        "nothing written");
  }

  @Test
  void aFullDiskIsOneLineAndExit1AndTheRunResumesOnceThereIsSpace() throws IOException {
    Path whole = dir.resolve("whole");
    CliRunner first =
        CliRunner.run("run", write("small.yaml", SUITE).toString(), "--out", whole.toString());
    assertEquals(0, first.exitCode(), first::toString);
    // the same suite on the weights the first run trained: only results are written in its folder
    Files.copy(whole.resolve("models/cnn.params"), dir.resolve("cnn.params"));
    Path suite =
        write(
            "trained.yaml",
            SUITE.replace(
                "train: {epochs: 1, batch-size: 50, learning-rate: 0.05}", "weights: cnn.params"));
    long room =
        2 * Files.size(whole.resolve("results.json")); // a couple of rewrites, not the whole run

    Path out = dir.resolve("out");
    CliRunner full0;
    try (FullDisk disk = FullDisk.after(out, room)) {
      full0 = CliRunner.run("run", suite.toString(), "--out", out.toString());
    }
    CliRunner full = full0;
    assertEquals(1, full.exitCode(), full::toString);
    oneLine(full);
    assertTrue(
        full.err()
            .startsWith(
                "qrbench: cannot save the results: no space left on the device to write "
                    + out.resolve("results.json").toAbsolutePath()),
        full::toString);
    assertTrue(
        full.err().strip().endsWith("free some space, then continue the run with --resume"),
        full::toString);
    RunResult partial = ResultsJson.read(out.resolve("results.json"));
    assertEquals(RunStatus.RUNNING, partial.status());
    assertTrue(partial.cases().size() < 3, full::toString);

    CliRunner resumed = CliRunner.run("run", suite.toString(), "--out", out.toString(), "--resume");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertEquals(
        numbers(ResultsJson.read(whole.resolve("results.json"))),
        numbers(ResultsJson.read(out.resolve("results.json"))),
        () -> first + "\n" + full + "\n" + resumed);

    // the lock file left in the folder troubles neither reports nor compare
    assertTrue(Files.exists(out.resolve(FolderLock.FILE)));
    CliRunner report =
        CliRunner.run("report", out.resolve("results.json").toString(), "--format", "csv");
    assertEquals(0, report.exitCode(), report::toString);
    CliRunner compare =
        CliRunner.run(
            "compare",
            whole.resolve("results.json").toString(),
            out.resolve("results.json").toString());
    assertEquals(0, compare.exitCode(), compare::toString);
  }

  @Test
  void aFullDiskWhenTrainingSavesIsOneLineAndResumeSavesWeightsWithTheirMetadata()
      throws IOException {
    Path spec = write("spec.yaml", SPEC);
    Path out = dir.resolve("out");
    CliRunner full;
    try (FullDisk disk =
        FullDisk.forFiles(out, p -> p.getFileName().toString().endsWith(".params.json"))) {
      full = CliRunner.run("train", spec.toString(), "--out", out.toString());
    }
    assertEquals(1, full.exitCode(), full::toString);
    oneLine(full);
    assertTrue(
        full.err()
            .startsWith(
                "qrbench: cannot save the trained weights: no space left on the device to write "),
        full::toString);
    assertTrue(
        full.err().contains("neither cnn.params nor cnn.params.json was written"), full::toString);
    assertFalse(Files.exists(out.resolve("cnn.params")));

    CliRunner resumed =
        CliRunner.run("train", spec.toString(), "--out", out.toString(), "--resume");
    assertEquals(0, resumed.exitCode(), resumed::toString);
    assertTrue(
        Files.isRegularFile(out.resolve("cnn.params"))
            && Files.isRegularFile(out.resolve("cnn.params.json")));
  }
}
