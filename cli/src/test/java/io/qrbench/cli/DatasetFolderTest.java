package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset {@code folder:} the user names is where the data must be: one that does not exist, is a
 * file, or holds none of the files is an error at its place in the suite, never a quiet fallback to
 * the data cache (which may hold other data, or none).
 */
class DatasetFolderTest {
  @TempDir Path dir;

  private Path suite(String dataset) throws IOException {
    return Files.writeString(
        dir.resolve("suite.yaml"),
        """
        name: folder
        dataset: %s
        models:
          - {name: m, model: small-cnn, train: {epochs: 1}}
        perturbations: [none]
        """
            .formatted(dataset));
  }

  private void assertRefused(Path suite, Path folder, String says) {
    Path out = dir.resolve("out");
    for (CliRunner r :
        List.of(
            CliRunner.run("validate", suite.toString()),
            CliRunner.run("run", suite.toString(), "--out", out.toString()))) {
      assertEquals(2, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith(suite + ":2:"), "placed at the suite's dataset\n" + r);
      assertTrue(r.err().contains("folder " + folder.toAbsolutePath() + " " + says), r::toString);
      assertTrue(r.err().contains("fix: "), r::toString);
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::toString);
    }
    assertFalse(Files.exists(out), "run wrote nothing");
  }

  @Test
  void aCifar10FolderThatDoesNotExistIsAFileOrIsEmptyIsAnErrorAtItsPlace() throws IOException {
    Path missing = dir.resolve("nowhere");
    assertRefused(
        suite("{id: cifar10, split: test, folder: " + missing + "}"), missing, "does not exist");
    Path file = Files.writeString(dir.resolve("data.bin"), "not a folder");
    assertRefused(suite("{id: cifar10, split: test, folder: " + file + "}"), file, "is a file");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertRefused(
        suite("{id: cifar10, split: test, folder: " + empty + "}"),
        empty,
        "holds none of CIFAR-10's binary files; it must hold CIFAR-10's binary files (data_batch_1.bin");
  }

  @Test
  void aFashionMnistFolderThatDoesNotExistIsAnErrorAtItsPlace() throws IOException {
    Path missing = dir.resolve("nowhere");
    assertRefused(suite("{id: fashion-mnist, folder: " + missing + "}"), missing, "does not exist");
  }

  @Test
  void aCifar10FolderLackingTheSplitsFileIsAnErrorNamingWhatItLacks() throws IOException {
    Path data = Files.createDirectories(dir.resolve("part"));
    Files.write(data.resolve("data_batch_1.bin"), new byte[0]);
    Path suite = suite("{id: cifar10, split: test, folder: " + data + "}");
    assertEquals(
        0,
        CliRunner.run("validate", suite.toString()).exitCode(),
        "the split is not known to the dataset's keys");
    CliRunner r = CliRunner.run("run", suite.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(
        r.err()
            .contains(
                "CIFAR-10 folder " + data.toAbsolutePath() + " (folder:) lacks test_batch.bin"),
        r::toString);
    assertTrue(r.err().contains("fix: "), r::toString);
    assertFalse(Files.exists(dir.resolve("out")), "run wrote nothing");
  }

  @Test
  void aTrainingOnAFolderLackingTheSplitsFileLeavesNoOutputFolder() throws IOException {
    Path data = Files.createDirectories(dir.resolve("part"));
    Files.write(data.resolve("test_batch.bin"), new byte[0]);
    Path spec =
        Files.writeString(
            dir.resolve("spec.yaml"),
            """
        name: folder-train
        model: small-cnn
        dataset: {id: cifar10, folder: %s}
        epochs: 1
        """
                .formatted(data));
    CliRunner r = CliRunner.run("train", spec.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("lacks data_batch_1.bin"), r::toString);
    assertFalse(Files.exists(dir.resolve("out")), "train wrote nothing");
  }
}
