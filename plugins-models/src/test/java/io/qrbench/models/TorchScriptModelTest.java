package io.qrbench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qrbench.ConfigException;
import io.qrbench.nn.Layers;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the tiny classifier made by {@code torchscript/make_tiny_classifier.py} (PyTorch 1.13).
 */
class TorchScriptModelTest {
  private static final TorchScriptModel.Config CIFAR_CONFIG =
      new TorchScriptModel.Config(List.of(3, 32, 32), 10);

  private static Path resource(String name) throws Exception {
    return Path.of(TorchScriptModelTest.class.getResource("/torchscript/" + name).toURI());
  }

  private static Block build(
      TorchScriptModel.Config config, ModelInput in, NDManager owner, Path file) {
    return new TorchScriptModel()
        .build(config, new ModelContext(in, Layers.plain(), owner, Optional.ofNullable(file)));
  }

  /** x[n, c, h, w] = ((n*7 + c*5 + h*3 + w) % 17) / 16, the input the script used. */
  private static NDArray fixedInput(NDManager m) {
    float[] x = new float[2 * 3 * 32 * 32];
    int i = 0;
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 3; c++) {
        for (int h = 0; h < 32; h++) {
          for (int w = 0; w < 32; w++) {
            x[i++] = ((n * 7 + c * 5 + h * 3 + w) % 17) / 16f;
          }
        }
      }
    }
    return m.create(x, new Shape(2, 3, 32, 32));
  }

  @Test
  void loadsTheModuleAndReproducesPyTorchsLogits() throws Exception {
    JsonNode expected =
        new ObjectMapper()
            .readTree(resource("tiny_classifier_expected.json").toFile())
            .get("logits");
    try (Model owner =
        Model.newInstance("suite-model")) { // as the runner does: its manager owns the import
      Block block =
          build(CIFAR_CONFIG, Models.CIFAR, owner.getNDManager(), resource("tiny_classifier.pt"));
      owner.setBlock(block);
      assertTrue(block.isInitialized(), "an imported model arrives initialised");
      // conv 3x3 3->4 with bias (112), BatchNorm weight and bias (8), dense 4->10 (50); all frozen
      assertEquals(170, Models.trainable(block));
      assertTrue(
          block.getParameters().values().stream().noneMatch(p -> p.requiresGradient()), "frozen");
      try (NDManager batch = owner.getNDManager().newSubManager()) {
        NDArray logits =
            block
                .forward(new ParameterStore(batch, false), new NDList(fixedInput(batch)), false)
                .singletonOrThrow();
        assertEquals(new Shape(2, 10), logits.getShape());
        float[] actual = logits.toFloatArray();
        for (int i = 0; i < actual.length; i++) {
          // the file was saved in training mode: only eval mode (BatchNorm's running statistics)
          // matches
          assertEquals(expected.get(i / 10).get(i % 10).asDouble(), actual[i], 1e-5, "logit " + i);
        }
      }
    }
  }

  @Test
  void closingTheOwningManagerFreesTheModule() throws Exception {
    Block block;
    try (NDManager owner = NDManager.newBaseManager()) {
      block = build(CIFAR_CONFIG, Models.CIFAR, owner, resource("tiny_classifier.pt"));
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDList x = new NDList(m.zeros(new Shape(1, 3, 32, 32)));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> block.forward(new ParameterStore(m, false), x, false));
      assertTrue(e.getMessage().contains("released"), e.getMessage());
    }
  }

  /** Attacks take input gradients in inference mode: they must flow through the imported module. */
  @Test
  void inputGradientsFlowThroughTheModuleInInferenceMode() throws Exception {
    try (NDManager owner = NDManager.newBaseManager()) {
      Block block = build(CIFAR_CONFIG, Models.CIFAR, owner, resource("tiny_classifier.pt"));
      try (NDManager batch = owner.newSubManager()) {
        NDArray x = fixedInput(batch);
        x.setRequiresGradient(true);
        try (GradientCollector gc = batch.getEngine().newGradientCollector()) {
          NDArray logits =
              block.forward(new ParameterStore(batch, false), new NDList(x), false).head();
          gc.backward(logits.get(":, 3").sum());
        }
        assertTrue(x.getGradient().abs().sum().getFloat() > 0, "non-zero input gradient");
      }
    }
  }

  @Test
  void wrongClassesIsAClearError() throws Exception {
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  build(
                      new TorchScriptModel.Config(List.of(3, 32, 32), 5),
                      Models.CIFAR,
                      owner,
                      resource("tiny_classifier.pt")));
      assertTrue(
          e.getMessage().contains("classes 5") && e.getMessage().contains("dataset's 10 classes"),
          e.getMessage());
      // config and dataset agree, but the module itself returns 10 logits
      ModelInput fiveClasses = new ModelInput(3, 32, 32, 5);
      ConfigException module =
          assertThrows(
              ConfigException.class,
              () ->
                  build(
                      new TorchScriptModel.Config(List.of(3, 32, 32), 5),
                      fiveClasses,
                      owner,
                      resource("tiny_classifier.pt")));
      assertTrue(
          module.getMessage().contains("returns shape (2, 10)")
              && module.getMessage().contains("expected (2, 5)"),
          module.getMessage());
    }
  }

  @Test
  void wrongInputShapeIsAClearError() throws Exception {
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  build(
                      new TorchScriptModel.Config(List.of(1, 28, 28), 10),
                      Models.CIFAR,
                      owner,
                      resource("tiny_classifier.pt")));
      assertTrue(
          e.getMessage().contains("input-shape [1, 28, 28]")
              && e.getMessage().contains("[3, 32, 32]"),
          e.getMessage());
      // config and dataset agree, but the module's first conv wants 3 channels
      ModelInput grey = new ModelInput(1, 32, 32, 10);
      ConfigException module =
          assertThrows(
              ConfigException.class,
              () ->
                  build(
                      new TorchScriptModel.Config(List.of(1, 32, 32), 10),
                      grey,
                      owner,
                      resource("tiny_classifier.pt")));
      assertTrue(
          module.getMessage().contains("fails for a batch of zeros of shape (2, 1, 32, 32)"),
          module.getMessage());
      assertTrue(
          module.getMessage().contains("3 channels") && !module.getMessage().contains("Traceback"),
          module.getMessage());
    }
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere.pt");
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(
              ConfigException.class, () -> build(CIFAR_CONFIG, Models.CIFAR, owner, missing));
      assertTrue(
          e.getMessage().contains(missing.toString()) && e.getMessage().contains("weights:"),
          e.getMessage());
      ConfigException none =
          assertThrows(ConfigException.class, () -> build(CIFAR_CONFIG, Models.CIFAR, owner, null));
      assertTrue(none.getMessage().contains("weights:"), none.getMessage());
    }
  }

  @Test
  void aFileThatIsNotTorchScriptIsAClearError(@TempDir Path dir) throws Exception {
    Path junk = Files.writeString(dir.resolve("model.pt"), "not a TorchScript archive");
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> build(CIFAR_CONFIG, Models.CIFAR, owner, junk));
      assertTrue(
          e.getMessage().contains(junk.toString()) && e.getMessage().contains("torch.jit.save"),
          e.getMessage());
    }
  }

  @Test
  void anErrorRaisedInTheScriptIsReportedByItsLastLineWithoutTheTraceback() {
    String engine =
        """
        The following operation failed in the TorchScript interpreter.
        Traceback of TorchScript (most recent call last):
          File "code/__torch__.py", line 16, in forward
            ops.prim.RaiseException("the module refuses", "builtins.RuntimeError")
            ~~~~~~~~~~~~~~~~~~~~~~~ <--- HERE
        builtins.RuntimeError: the module refuses
        """;
    assertEquals(
        "the module raised RuntimeError: the module refuses",
        TorchScriptModel.scriptError(new IllegalStateException(engine)));
    assertEquals(
        "the engine gave no reason", TorchScriptModel.scriptError(new IllegalStateException()));
  }

  @Test
  void configKeysAreRequiredAndValidated() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new TorchScriptModel.Config(null, 10))
            .getMessage()
            .contains("input-shape is required"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new TorchScriptModel.Config(List.of(3, 32, 32), null))
            .getMessage()
            .contains("classes is required"));
    assertThrows(
        IllegalArgumentException.class, () -> new TorchScriptModel.Config(List.of(32, 32), 10));
    assertThrows(
        IllegalArgumentException.class, () -> new TorchScriptModel.Config(List.of(3, 0, 32), 10));
    assertTrue(new TorchScriptModel().readsOwnWeights());
  }
}
