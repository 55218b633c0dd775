package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qrbench export} on the shipped models, calibrating on synthetic images. */
class ExportCommandTest {
  @TempDir Path dir;

  private static final String SYNTHETIC = "{id: synthetic, train-size: 64, test-size: 8}";

  private CliRunner export(String weights, String... more) {
    String[] head = {
      "export",
      "--weights",
      ShippedModelsTest.MODELS.resolve(weights).toString(),
      "--dataset",
      SYNTHETIC,
      "--calibration",
      "64",
      "--out",
      dir.resolve("out.onnx").toString()
    };
    String[] args = java.util.Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, args, head.length, more.length);
    return CliRunner.run(args);
  }

  @Test
  void theShippedTwnExportsAsInt8WithItsTernaryCodes() throws IOException {
    CliRunner r = export("resnet20-twn/resnet20-twn.qrbq");
    assertEquals(0, r.exitCode(), r::toString);
    // 18 ternary layers keep codes {-1, 0, 1}; the full-precision stem and classifier are rounded
    long exactTernary = r.out().lines().filter(l -> l.matches("\\S+\\s+exact\\s+1\\s+.*")).count();
    assertEquals(18, exactTernary, r::toString);
    assertTrue(
        r.out().lines().anyMatch(l -> l.matches("stem\\.conv\\s+rounded\\s+127\\s+.*")),
        r::toString);
    assertTrue(r.out().contains("int8 graph"), r::toString);
    assertTrue(r.out().contains("activations calibrated on 64 training images"), r::toString);
    long bytes = Files.size(dir.resolve("out.onnx"));
    // 270,000 int8 weights plus scales and biases: about a quarter of the FP32 file
    assertTrue(bytes > 270_000 && bytes < 400_000, bytes + " bytes");
  }

  @Test
  void fullPrecisionWeightsExportAsFp32UnlessAskedForInt8() throws IOException {
    CliRunner fp = export("resnet20-fp/resnet20-fp.params");
    assertEquals(0, fp.exitCode(), fp::toString);
    assertTrue(fp.out().contains("fp32 graph"), fp::toString);
    assertFalse(fp.out().contains("rounded"), "an FP32 graph has no int8 codes to list");
    long fp32 = Files.size(dir.resolve("out.onnx"));
    CliRunner int8 = export("resnet20-fp/resnet20-fp.params", "--precision", "int8");
    assertEquals(0, int8.exitCode(), int8::toString);
    assertTrue(int8.out().contains("int8 graph"), int8::toString);
    long bytes = Files.size(dir.resolve("out.onnx"));
    assertTrue(bytes * 3 < fp32, bytes + " bytes in int8 against " + fp32 + " in fp32");
  }

  @Test
  void anUnknownPrecisionIsBadInputAndWritesNothing() {
    CliRunner r = export("resnet20-fp/resnet20-fp.params", "--precision", "int4");
    assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--precision must be fp32 or int8, was 'int4'"), r::toString);
    assertFalse(Files.exists(dir.resolve("out.onnx")));
  }
}
