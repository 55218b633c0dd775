package io.qrbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.qrbench.QrbenchException;
import io.qrbench.spi.DeployedBlock;
import io.qrbench.spi.ModelInput;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A model whose block runs elsewhere (ONNX Runtime, say) as the runner's LoadedModel sees it. */
class DeployedModelTest {
  private static final ModelInput INPUT = new ModelInput(1, 4, 4, 10);

  /** Logits = the first ten pixels of each image; no parameters, no gradients. */
  private static final class Deployed extends AbstractBlock implements DeployedBlock {
    private final OptionalLong macs;

    Deployed(OptionalLong macs) {
      this.macs = macs;
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
      NDArray x = in.singletonOrThrow();
      return new NDList(x.reshape(x.getShape().get(0), -1).get(":, :10"));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
      return new Shape[] {new Shape(inputs[0].get(0), 10)};
    }

    @Override
    public String backend() {
      return "onnxruntime int8";
    }

    @Override
    public OptionalLong macsPerImage() {
      return macs;
    }
  }

  @Test
  void itsBackendAndMacsComeFromTheBlockAndItsLogitsFromItsForwardPass() {
    try (LoadedModel m = new LoadedModel("INT8", new Deployed(OptionalLong.of(1234)), INPUT);
        NDManager batch = m.manager().newSubManager()) {
      assertEquals("onnxruntime int8", m.backend());
      assertEquals(Map.of("INT8", 1234L), m.macsPerImage());
      float[] x = new float[2 * 16];
      for (int i = 0; i < x.length; i++) {
        x[i] = i / 32f;
      }
      float[] z = m.logits(batch.create(x, new Shape(2, 1, 4, 4))).toFloatArray();
      float[] expected = new float[20];
      for (int i = 0; i < 20; i++) {
        expected[i] = x[(i / 10) * 16 + i % 10];
      }
      assertArrayEquals(expected, z);
    }
    try (LoadedModel m = new LoadedModel("INT8", new Deployed(OptionalLong.empty()), INPUT)) {
      assertEquals(Map.of(), m.macsPerImage(), "the file did not say");
    }
  }

  @Test
  void askingItForGradientsSaysWhyNotAndWhatToDoInstead() {
    try (LoadedModel m = new LoadedModel("INT8", new Deployed(OptionalLong.empty()), INPUT);
        NDManager batch = m.manager().newSubManager()) {
      NDArray x = batch.zeros(new Shape(2, 1, 4, 4));
      QrbenchException loss =
          assertThrows(
              QrbenchException.class, () -> m.lossGradient(x, batch.create(new int[] {1, 2})));
      assertEquals(
          "model 'INT8' runs on onnxruntime, which gives no gradients: craft the images on a"
              + " differentiable twin in the same suite with `source: <model>`, or use a black-box"
              + " attack (square)",
          loss.getMessage());
      QrbenchException objective =
          assertThrows(
              QrbenchException.class,
              () -> m.objectiveGradient(x, (z, classes, dz) -> new double[2]));
      assertEquals(loss.getMessage(), objective.getMessage());
    }
  }

  @Test
  void aDjlModelRunsOnPyTorchInFloat32() {
    Block dense = Linear.builder().setUnits(10).build();
    try (LoadedModel m = new LoadedModel("FP", dense, INPUT)) {
      assertEquals("pytorch fp32", m.backend());
      assertTrue(m.macsPerImage().isEmpty(), "no layers made through Layers");
    }
  }
}
