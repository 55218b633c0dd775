package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weights files that cannot be evaluated, each made at test time from a real small model the test
 * trains and packs: {@code validate} and {@code run} both refuse them with exit 2 and one message
 * at the model's {@code weights:} naming the file, what is wrong and the fix, and {@code run}
 * writes nothing.
 */
class BadWeightsTest {
  private static final String CNN = "{id: small-cnn, width: 8}";
  private static final String TORCHSCRIPT =
      "{id: torchscript, input-shape: [3, 32, 32], classes: 10}";

  @TempDir static Path dir;
  static Path params;
  static Path packed;

  /** A small CNN trained for one epoch, and its TWN-packed form. */
  @BeforeAll
  static void trainAndPackASmallModel() throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("spec.yaml"),
            """
        name: cnn
        seed: 4
        model: {id: small-cnn, width: 8}
        dataset: {id: synthetic, train-size: 256, test-size: 64}
        epochs: 1
        batch-size: 64
        augment: {crop-padding: 0, flip: false}
        """);
    CliRunner train =
        CliRunner.run("train", spec.toString(), "--out", dir.resolve("trained").toString());
    assertEquals(0, train.exitCode(), train::toString);
    params = dir.resolve("trained/cnn.params");
    packed = dir.resolve("cnn-twn.qrbq");
    CliRunner pack =
        CliRunner.run(
            "quantize",
            "--weights",
            params.toString(),
            "--quantizer",
            "twn",
            "--out",
            packed.toString());
    assertEquals(0, pack.exitCode(), pack::toString);
  }

  /** Makes a case's weights file in the case's folder. */
  @FunctionalInterface
  interface Maker {
    Path make(Path caseDir) throws IOException;
  }

  /**
   * One damaged or mismatched weights file.
   *
   * @param name what is wrong with it
   * @param model the suite's model and quantizer keys, as YAML flow entries
   * @param file makes the file
   * @param says what the message must say, beside the file, place and fix
   */
  record Case(String name, String model, Maker file, String says) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Maker bytes(
      String fileName, java.util.function.Function<byte[], byte[]> change, Path from) {
    return d -> Files.write(d.resolve(fileName), change.apply(Files.readAllBytes(from)));
  }

  private static byte[] flip(byte[] b, int pos) {
    byte[] c = b.clone();
    c[pos < 0 ? c.length + pos : pos] ^= 0x10;
    return c;
  }

  /**
   * The file with its embedded metadata changed (a forged or hand-edited header), its parameters
   * kept.
   */
  private static Maker metadata(
      String fileName, Path from, java.util.function.Consumer<Map<String, Object>> change) {
    return d -> {
      byte[] all = Files.readAllBytes(from);
      int len = java.nio.ByteBuffer.wrap(all, 6, 4).getInt(); // after the 6-byte magic
      Map<String, Object> meta =
          JSON.readValue(
              Arrays.copyOfRange(all, 10, 10 + len),
              new com.fasterxml.jackson.core.type.TypeReference<
                  java.util.LinkedHashMap<String, Object>>() {});
      change.accept(meta);
      byte[] head = JSON.writeValueAsBytes(meta);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.write(all, 0, 6);
      out.write(java.nio.ByteBuffer.allocate(4).putInt(head.length).array());
      out.write(head);
      out.write(all, 10 + len, all.length - 10 - len);
      return Files.write(d.resolve(fileName), out.toByteArray());
    };
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static Maker torchscript(Map<String, String> edits) {
    return d -> TorchScriptEdits.edit(TorchScriptEdits.TINY, d.resolve("model.pt"), edits);
  }

  private static final String RETURN = "    return _0\n";

  static Stream<Case> cases() {
    byte[] random = new byte[3000];
    new Random(16).nextBytes(random);
    return Stream.of(
        new Case(
            "empty",
            "model: " + CNN,
            d -> Files.write(d.resolve("w.params"), new byte[0]),
            "is empty"),
        new Case(
            "truncated",
            "model: " + CNN,
            bytes("w.params", b -> Arrays.copyOf(b, b.length / 2), params),
            "is damaged or truncated"),
        new Case(
            "cut inside its header",
            "model: " + CNN,
            bytes("w.params", b -> Arrays.copyOf(b, 8), params),
            "ends inside its header"),
        new Case(
            "random bytes",
            "model: " + CNN,
            d -> Files.write(d.resolve("w.params"), random),
            "is not a qrbench weights file"),
        new Case(
            "one flipped byte in the parameters",
            "model: " + CNN,
            bytes("w.params", b -> flip(b, -20), params),
            "is damaged or truncated: the SHA-256 of its parameters is"),
        new Case(
            "one flipped byte in the metadata",
            "model: " + CNN,
            bytes("w.params", b -> flip(b, 10), params),
            "is damaged: its metadata is not readable JSON"),
        new Case(
            "metadata with a value of the wrong type",
            "model: " + CNN,
            metadata("w.params", params, m -> m.put("classes", List.of(1))),
            "its metadata's 'classes' has the wrong type"),
        new Case(
            "metadata without its checksum",
            "model: " + CNN,
            metadata("w.params", params, m -> m.put("sha256", null)),
            "its metadata lacks the checksum"),
        new Case(
            "metadata forged as a ResNet-20's",
            "model: {id: resnet-cifar, depth: 20}",
            metadata(
                "w.params",
                params,
                m -> {
                  m.put("architecture", "resnet-cifar");
                  m.put(
                      "modelConfig",
                      Map.of(
                          "depth",
                          20,
                          "mean",
                          List.of(0.4914, 0.4822, 0.4465),
                          "std",
                          List.of(0.247, 0.2435, 0.2616)));
                }),
            "cannot load weights from"),
        new Case(
            "another architecture's",
            "model: {id: resnet-cifar, depth: 8}",
            bytes("w.params", b -> b, params),
            "architecture: the file holds 'small-cnn', the suite asks for 'resnet-cifar'"),
        new Case(
            "another width",
            "model: {id: small-cnn, width: 16}",
            bytes("w.params", b -> b, params),
            "width: the file holds 8, the suite asks for 16"),
        new Case(
            "TWN codes under ttq",
            "model: " + CNN + ", quantizer: ttq",
            bytes("w.qrbq", b -> b, packed),
            "the file was packed by 'twn', the suite evaluates it as 'ttq'"),
        new Case(
            "TWN codes under fp32",
            "model: " + CNN,
            bytes("w.qrbq", b -> b, packed),
            "the file was packed by 'twn', the suite evaluates it as 'fp32'"),
        new Case(
            "TWN codes under other TWN settings",
            "model: " + CNN + ", quantizer: {id: twn, delta: 0.5}",
            bytes("w.qrbq", b -> b, packed),
            "delta: the file was packed with 0.7, the suite asks for 0.5"),
        new Case(
            "packed, one flipped byte",
            "model: " + CNN + ", quantizer: twn",
            bytes("w.qrbq", b -> flip(b, -30), packed),
            "is damaged or truncated"),
        new Case(
            "packed, cut inside its header",
            "model: " + CNN + ", quantizer: twn",
            bytes("w.qrbq", b -> Arrays.copyOf(b, 8), packed),
            "ends inside its header"),
        new Case(
            "TorchScript given as qrbench weights",
            "model: " + CNN,
            bytes("w.params", b -> b, TorchScriptEdits.TINY),
            "is not a qrbench weights file"),
        new Case(
            "TorchScript returning a tuple",
            "model: " + TORCHSCRIPT,
            torchscript(
                Map.of(
                    "x: Tensor) -> Tensor:",
                    "x: Tensor) -> Tuple[Tensor, Tensor]:",
                    RETURN,
                    "    return (_0, _0)\n")),
            "returns 2 tensors (a tuple?) for a batch of zeros of shape (2, 3, 32, 32)"),
        new Case(
            "TorchScript raising",
            "model: " + TORCHSCRIPT,
            torchscript(
                Map.of(
                    RETURN,
                    "    ops.prim.RaiseException(\"weights not ready\", \"builtins.RuntimeError\")\n"
                        + RETURN)),
            "the module raised RuntimeError: weights not ready"),
        new Case(
            "TorchScript returning a vector",
            "model: " + TORCHSCRIPT,
            torchscript(Map.of(RETURN, "    return torch.mean(_0, [1])\n")),
            "returns shape (2) for a batch of zeros of shape (2, 3, 32, 32), expected (2, 10) logits"),
        new Case(
            "TorchScript with another class count",
            "model: " + TORCHSCRIPT,
            torchscript(Map.of(RETURN, "    return torch.slice(_0, 1, 0, 5)\n")),
            "returns shape (2, 5) for a batch of zeros of shape (2, 3, 32, 32), expected (2, 10) logits"),
        new Case(
            "TorchScript declared for another input shape",
            "model: {id: torchscript, input-shape: [1, 28, 28], classes: 10}",
            d -> Files.copy(TorchScriptEdits.TINY, d.resolve("model.pt")),
            "input-shape [1, 28, 28] does not match"),
        new Case(
            "TorchScript declared for another class count",
            "model: {id: torchscript, input-shape: [3, 32, 32], classes: 5}",
            d -> Files.copy(TorchScriptEdits.TINY, d.resolve("model.pt")),
            "classes 5 does not match the dataset's 10"),
        new Case(
            "TorchScript made for other images",
            "model: " + TORCHSCRIPT,
            torchscript(
                Map.of(
                    "    bn = self.bn\n",
                    "    x = torch.view(x, [-1, 3, 28, 28])\n    bn = self.bn\n")),
            "fails for a batch of zeros of shape (2, 3, 32, 32)"),
        new Case(
            "TorchScript truncated",
            "model: " + TORCHSCRIPT,
            bytes("model.pt", b -> Arrays.copyOf(b, b.length / 2), TorchScriptEdits.TINY),
            "is not a TorchScript module"),
        new Case(
            "TorchScript with a flipped byte in its weights",
            "model: " + TORCHSCRIPT,
            bytes(
                "model.pt",
                b -> flip(b, TorchScriptEdits.dataOffset(b, "tiny_classifier/data/0") + 100),
                TorchScriptEdits.TINY),
            "is damaged: its entry tiny_classifier/data/0 fails its CRC-32 check"),
        new Case(
            "random bytes as TorchScript",
            "model: " + TORCHSCRIPT,
            d -> Files.write(d.resolve("model.pt"), random),
            "is not a TorchScript module PyTorch can load"));
  }

  /** A suite evaluating one model on synthetic data, with the weights named on line 4. */
  private static Path suite(Path caseDir, String model, Path weights) throws IOException {
    return Files.writeString(
        caseDir.resolve("suite.yaml"),
        """
        name: bad-weights
        dataset: {id: synthetic, train-size: 64, test-size: 32}
        models:
          - {name: m, %s, weights: %s}
        perturbations: [none]
        reports: [json]
        """
            .formatted(model, caseDir.relativize(weights)),
        StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validateAndRunRefuseItWithOneMessageAndRunWritesNothing(Case c) throws IOException {
    Path caseDir = Files.createDirectories(dir.resolve(c.name().replace(' ', '-')));
    Path weights = c.file().make(caseDir);
    Path suite = suite(caseDir, c.model(), weights);
    Path out = caseDir.resolve("out");
    for (CliRunner r :
        List.of(
            CliRunner.run("validate", suite.toString()),
            CliRunner.run("run", suite.toString(), "--out", out.toString()))) {
      assertEquals(2, r.exitCode(), r::toString);
      String err = r.err();
      assertTrue(err.startsWith(suite + ":4:"), "placed at the suite's weights: key\n" + r);
      assertTrue(err.contains(": models[0].weights: "), r::toString);
      assertTrue(
          err.contains(weights.toAbsolutePath().normalize().toString()), "names the file\n" + r);
      assertTrue(err.contains(c.says()), "says '" + c.says() + "'\n" + r);
      assertTrue(err.contains("fix: "), "says how to fix it\n" + r);
      assertFalse(err.contains("problems in"), "one problem, one message\n" + r);
      for (String leak :
          List.of("Exception", "\tat ", "java.", "io.qrbench.", "ai.djl.", "Traceback")) {
        assertFalse(err.contains(leak), "no stack trace or Java class name (" + leak + ")\n" + r);
      }
      assertEquals("", r.out(), "nothing printed as if the run had started");
    }
    assertFalse(Files.exists(out), "run wrote nothing");
  }

  @Test
  void theGoodFilesPass() throws IOException {
    Path caseDir = Files.createDirectories(dir.resolve("good"));
    Files.copy(TorchScriptEdits.TINY, caseDir.resolve("model.pt"));
    Files.copy(params, caseDir.resolve("w.params"));
    Files.copy(packed, caseDir.resolve("w.qrbq"));
    Path suite =
        Files.writeString(
            caseDir.resolve("suite.yaml"),
            """
        name: good-weights
        dataset: {id: synthetic, train-size: 64, test-size: 32}
        models:
          - {name: fp, model: %s, weights: w.params}
          - {name: ptq, model: %s, quantizer: {id: uniform, bits: 4}, weights: w.params}
          - {name: packed, model: %s, quantizer: twn, weights: w.qrbq}
          - {name: imported, model: %s, weights: model.pt}
        perturbations: [none]
        reports: [json]
        """
                .formatted(CNN, CNN, CNN, TORCHSCRIPT));
    CliRunner v = CliRunner.run("validate", suite.toString());
    assertEquals(0, v.exitCode(), v::toString);
    assertTrue(v.out().contains("4 weights file(s) loaded and checked"), v::toString);
    CliRunner r =
        CliRunner.run("run", suite.toString(), "--out", caseDir.resolve("out").toString());
    assertEquals(0, r.exitCode(), r::toString);
  }
}
