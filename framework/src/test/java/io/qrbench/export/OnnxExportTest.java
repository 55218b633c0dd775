package io.qrbench.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.LayerInfo.Role;
import io.qrbench.nn.Layers;
import io.qrbench.nn.Normalise;
import io.qrbench.nn.OptionAShortcut;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.nn.ResidualBlock;
import io.qrbench.spi.ModelInput;
import io.qrbench.testing.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small residual network made of the blocks the CIFAR ResNets use, with random weights and
 * BatchNorm statistics, exported and run on ONNX Runtime: the FP32 graph computes the model's
 * logits; the int8 graph keeps ternary kernels as codes {-1, 0, 1} and stays close to the model.
 */
class OnnxExportTest {
  static final ModelInput INPUT = new ModelInput(3, 8, 8, 3);

  @TempDir Path dir;

  static LoadedModel tinyResNet(boolean ternary) {
    Engine.getInstance().setRandomSeed(7);
    Layers layers = Layers.plain();
    LoadedModel m =
        new LoadedModel(
            "tiny-resnet",
            INPUT,
            layers,
            manager ->
                new SequentialBlock()
                    .add(
                        new Normalise(
                            new float[] {0.5f, 0.4f, 0.45f}, new float[] {0.25f, 0.2f, 0.3f}))
                    .add(layers.conv2d("stem", Role.INPUT, 16, 3, 1, 1, false))
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(residual(layers, "b1", 16, 16, 1))
                    .add(residual(layers, "b2", 16, 32, 2))
                    .add(Pool.globalAvgPool2dBlock())
                    .add(layers.linear("fc", Role.OUTPUT, 3, true)));
    Random r = new Random(11);
    for (var p : m.block().getParameters()) {
      Parameter param = p.getValue();
      NDArray a = param.getArray();
      float[] v = a.toFloatArray();
      switch (param.getType()) {
        case GAMMA -> fill(v, () -> 0.5f + r.nextFloat());
        case BETA -> fill(v, () -> (float) r.nextGaussian() * 0.2f);
        case RUNNING_MEAN -> fill(v, () -> (float) r.nextGaussian() * 0.3f);
        case RUNNING_VAR -> fill(v, () -> 0.2f + r.nextFloat());
        default -> {}
      }
      a.set(java.nio.FloatBuffer.wrap(v));
    }
    if (ternary) {
      List<QuantizableLayer> all = m.quantizableLayers();
      for (QuantizableLayer l : all.subList(1, all.size() - 1)) {
        NDArray w = l.weight().getArray();
        float[] v = w.toFloatArray();
        double mean = 0;
        for (float f : v) {
          mean += Math.abs(f) / v.length;
        }
        float a = (float) (1.5 * mean);
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.abs(v[i]) > 0.7 * mean ? Math.signum(v[i]) * a : 0;
        }
        w.set(java.nio.FloatBuffer.wrap(v));
      }
    }
    m.freeze(true);
    return m;
  }

  private static void fill(float[] v, java.util.function.Supplier<Float> s) {
    for (int i = 0; i < v.length; i++) {
      v[i] = s.get();
    }
  }

  private static Block residual(Layers layers, String name, int in, int out, int stride) {
    Block main =
        new SequentialBlock()
            .add(layers.conv2d(name + ".conv1", Role.HIDDEN, out, 3, stride, 1, false))
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock())
            .add(layers.conv2d(name + ".conv2", Role.HIDDEN, out, 3, 1, 1, false))
            .add(BatchNorm.builder().build());
    Block shortcut =
        stride == 1 && in == out
            ? LambdaBlock.singleton(x -> x, "identity")
            : new OptionAShortcut(out);
    return new ResidualBlock(main, shortcut);
  }

  /** The model's and ONNX Runtime's logits on the first {@code n} images of {@code seed}. */
  private static float[][] logits(LoadedModel m, Path onnx, int n, long seed) throws Exception {
    TinyDataset.Images data = new TinyDataset.Images(n, seed);
    try (NDManager bm = m.manager().newSubManager()) {
      NDArray x = new Batches(data, n).load(bm, null, 0, n)[0];
      float[] mine = m.logits(x).toFloatArray();
      float[] theirs = OnnxModelTest.run(Files.readAllBytes(onnx), x.toFloatArray(), n, 3, 8, 8);
      return new float[][] {mine, theirs};
    }
  }

  @Test
  void theFp32GraphComputesTheModelsLogits() throws Exception {
    try (LoadedModel m = tinyResNet(false)) {
      Path f = dir.resolve("fp32.onnx");
      OnnxExport.Result r =
          OnnxExport.export(
              m,
              "fp32",
              "test",
              new OnnxExport.Options(OnnxExport.Precision.FP32, 64, 32),
              new TinyDataset.Images(64, 1),
              f);
      assertTrue(r.checkDifference() < 1e-4, "check " + r.checkDifference());
      float[][] z = logits(m, f, 50, 2);
      double worst = 0;
      for (int i = 0; i < z[0].length; i++) {
        worst = Math.max(worst, Math.abs(z[0][i] - z[1][i]));
      }
      assertTrue(worst < 1e-4, "largest logit difference " + worst);
    }
  }

  @Test
  void theInt8GraphKeepsTernaryCodesAndStaysCloseToTheModel() throws Exception {
    try (LoadedModel m = tinyResNet(true)) {
      Path f = dir.resolve("int8.onnx");
      OnnxExport.Result r =
          OnnxExport.export(
              m,
              "ternary",
              "test",
              new OnnxExport.Options(OnnxExport.Precision.INT8, 256, 64),
              new TinyDataset.Images(256, 1),
              f);
      assertEquals(6, r.layers().size());
      for (OnnxExport.Layer l : r.layers().subList(1, 5)) {
        assertTrue(l.exact(), l.name());
        assertEquals(1, l.levels(), l.name() + ": ternary codes");
      }
      assertFalse(r.layers().get(0).exact(), "the full-precision stem is rounded to int8");
      float[][] z = logits(m, f, 200, 3);
      double worst = 0;
      double range = 0;
      int agree = 0;
      for (int i = 0; i < 200; i++) {
        for (int j = 0; j < 3; j++) {
          worst = Math.max(worst, Math.abs(z[0][3 * i + j] - z[1][3 * i + j]));
          range = Math.max(range, Math.abs(z[0][3 * i + j]));
        }
        agree += argmax(z[0], i) == argmax(z[1], i) ? 1 : 0;
      }
      // 8-bit activations: a few percent of the logits' range, not more
      assertTrue(worst < 0.05 * range, "largest difference " + worst + " of range " + range);
      assertTrue(agree >= 190, agree + " of 200 images have the same top-1");
      assertTrue(worst > 0, "int8 is not float: the graph really quantizes");
    }
  }

  private static int argmax(float[] z, int i) {
    int best = 0;
    for (int j = 1; j < 3; j++) {
      if (z[3 * i + j] > z[3 * i + best]) {
        best = j;
      }
    }
    return best;
  }

  @Test
  void anUnknownBlockIsRefusedByName() {
    Layers layers = Layers.plain();
    try (LoadedModel m =
        new LoadedModel(
            "flat",
            INPUT,
            layers,
            manager ->
                new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(layers.linear("fc", Role.OUTPUT, 3, true)))) {
      io.qrbench.ConfigException e =
          assertThrows(
              io.qrbench.ConfigException.class,
              () ->
                  OnnxExport.export(
                      m,
                      "fp32",
                      "test",
                      new OnnxExport.Options(OnnxExport.Precision.FP32, 8, 8),
                      new TinyDataset.Images(8, 1),
                      dir.resolve("x.onnx")));
      assertTrue(e.getMessage().contains("lambda block 'batchFlatten'"), e.getMessage());
      assertTrue(e.getMessage().contains("torch.onnx.export"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("x.onnx")), "nothing written");
    }
  }
}
