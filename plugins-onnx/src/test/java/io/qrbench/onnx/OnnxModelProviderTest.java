package io.qrbench.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.qrbench.ConfigException;
import io.qrbench.export.OnnxModel;
import io.qrbench.nn.Layers;
import io.qrbench.spi.DeployedBlock;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.util.ProcessMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelProviderTest {
  private static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);
  private static final OnnxModelProvider.Config DEFAULT = new OnnxModelProvider.Config(null, null);

  @TempDir Path dir;

  private static Block build(OnnxModelProvider.Config c, ModelInput in, NDManager m, Path file) {
    return new OnnxModelProvider()
        .build(c, new ModelContext(in, Layers.plain(), m, Optional.ofNullable(file), 1));
  }

  private static float[] randomImages(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 3 * 32 * 32];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  private static float[] forward(Block block, NDManager m, float[] x, int n) {
    NDArray images = m.create(x, new Shape(n, 3, 32, 32));
    NDArray z =
        block.forward(new ParameterStore(m, false), new NDList(images), false).singletonOrThrow();
    assertEquals(new Shape(n, 10), z.getShape());
    assertEquals(m, z.getManager(), "the logits belong to the images' manager");
    return z.toFloatArray();
  }

  @Test
  void theLogitsAreTheGraphsAsComputedInJava() {
    Path file = TinyOnnx.write(TinyOnnx.classifier(false), dir.resolve("fp32.onnx"));
    try (NDManager owner = NDManager.newBaseManager()) {
      Block block = build(DEFAULT, CIFAR, owner, file);
      assertTrue(block.isInitialized());
      assertEquals(0, block.getParameters().size(), "ONNX Runtime holds the weights, not DJL");
      DeployedBlock deployed = (DeployedBlock) block;
      assertEquals("onnxruntime fp32", deployed.backend());
      assertEquals(OptionalLong.empty(), deployed.macsPerImage());
      for (int n : new int[] {1, 5}) {
        float[] x = randomImages(n, 7 + n);
        try (NDManager batch = owner.newSubManager()) {
          assertArrayEquals(TinyOnnx.logits(x, n, false), forward(block, batch, x, n), 1e-5f);
        }
      }
    }
  }

  @Test
  void aQdqGraphIsInt8AndRoundsItsInputToItsScale() {
    OnnxModel m = TinyOnnx.classifier(true).metadata(OnnxModelProvider.MACS_KEY, "30720");
    Path file = TinyOnnx.write(m, dir.resolve("int8.onnx"));
    for (OnnxModelProvider.Optimization level : OnnxModelProvider.Optimization.values()) {
      try (NDManager owner = NDManager.newBaseManager()) {
        Block block = build(new OnnxModelProvider.Config(10, level), CIFAR, owner, file);
        DeployedBlock deployed = (DeployedBlock) block;
        assertEquals("onnxruntime int8", deployed.backend());
        assertEquals(OptionalLong.of(30720), deployed.macsPerImage());
        float[] x = randomImages(3, 11);
        float[] exact = TinyOnnx.logits(x, 3, false);
        float[] rounded = TinyOnnx.logits(x, 3, true);
        float[] z = forward(block, owner, x, 3);
        assertArrayEquals(rounded, z, 1e-5f, "optimisation " + level);
        // the rounding is visible: the test would not notice a graph without its QDQ pair otherwise
        double diff = 0;
        for (int i = 0; i < z.length; i++) {
          diff = Math.max(diff, Math.abs(exact[i] - z[i]));
        }
        assertTrue(diff > 1e-6, "max difference to float input " + diff);
      }
    }
  }

  @Test
  void closingTheOwningManagerReleasesTheSession() {
    Path file = TinyOnnx.write(TinyOnnx.classifier(false), dir.resolve("m.onnx"));
    Block block;
    try (NDManager owner = NDManager.newBaseManager()) {
      block = build(DEFAULT, CIFAR, owner, file);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> forward(block, m, randomImages(1, 1), 1));
      assertTrue(e.getMessage().contains("released"), e.getMessage());
    }
  }

  /**
   * 200 batches, each in its own sub-manager as the runner's: the model's manager keeps exactly
   * what it had (no array, tensor or session leaks into it) and each batch ends holding its images
   * and logits only (the runtime's tensors are not NDArrays, and are closed at once).
   */
  @Test
  void twoHundredForwardPassesLeaveNothingBehind() {
    Path file = TinyOnnx.write(TinyOnnx.classifier(true), dir.resolve("m.onnx"));
    try (NDManager owner = NDManager.newBaseManager()) {
      Block block = build(DEFAULT, CIFAR, owner, file);
      int ownerArrays = ((BaseNDManager) owner).getManagedArrays().size();
      float[] x = randomImages(4, 3);
      long before = usedHeap();
      for (int i = 0; i < 200; i++) {
        try (NDManager batch = owner.newSubManager()) {
          forward(block, batch, x, 4);
          assertEquals(2, ((BaseNDManager) batch).getManagedArrays().size(), "batch " + i);
        }
        assertEquals(ownerArrays, ((BaseNDManager) owner).getManagedArrays().size(), "pass " + i);
      }
      assertTrue(owner.isOpen());
      // 200 passes of 48 KB of images each would leave ~10 MB if their buffers were kept
      assertTrue(usedHeap() - before < 8 << 20, "heap grew by " + (usedHeap() - before));
    }
  }

  /**
   * ONNX Runtime allocates each output natively: a result left open would keep it. With 98,304
   * logits per image (the image tiled 32 times), 400 batches of 4 would hold 630 MB. The first 400
   * batches let the native allocators grow to what a batch needs (they keep freed memory: measured,
   * resident memory rises by ~160 MB over them, then by at most 4 MB over 1,400 more); over the
   * next 400 it must stay within a fifth of a leak. Each batch leaves 3 MB of Java garbage (the
   * copied logits), so the heap is collected every 20 batches: left to grow, the young generation
   * touched new pages over 200 batches (66 MB on CI, 130-142 MB here), which is heap, not a leak. A
   * full collection is followed by a one-time regrowth of 43-44 MB over the next 40 batches
   * (measured), so the window starts 40 batches after one. Measured so: -30 to -6 MB over the 400
   * batches, and 604-635 MB with the result left open.
   */
  @Test
  void fourHundredLargeOutputsAreReleasedNatively() {
    int classes = 3 * 32 * 32 * 32;
    OnnxModel m = new OnnxModel("tiled", 17);
    m.input("x", OnnxModel.FLOAT, "N", 3, 32, 32).output("y", OnnxModel.FLOAT, "N", classes);
    m.int64s("flat", new long[] {-1, 3 * 32 * 32}, 2).int64s("times", new long[] {1, 32}, 2);
    m.node("Reshape", List.of("x", "flat"), List.of("f"));
    m.node("Tile", List.of("f", "times"), List.of("y"));
    Path file = TinyOnnx.write(m, dir.resolve("tiled.onnx"));
    ModelInput in = new ModelInput(3, 32, 32, classes);
    try (NDManager owner = NDManager.newBaseManager()) {
      Block block = build(new OnnxModelProvider.Config(classes, null), in, owner, file);
      float[] x = randomImages(4, 5);
      for (int i = 0; i < 400; i++) {
        pass(block, owner, x, i);
      }
      usedHeap(); // a full collection, then the one-time regrowth after it
      for (int i = 0; i < 40; i++) {
        pass(block, owner, x, i);
      }
      long before = residentBytes();
      for (int i = 0; i < 400; i++) {
        pass(block, owner, x, i);
      }
      long grown = residentBytes() - before;
      assertTrue(grown < 126L << 20, "resident memory grew by " + (grown >> 20) + " MB");
    }
  }

  private static void pass(Block block, NDManager owner, float[] x, int i) {
    if (i % 20 == 0) {
      System.gc();
    }
    try (NDManager batch = owner.newSubManager()) {
      NDArray images = batch.create(x, new Shape(4, 3, 32, 32));
      NDArray z = block.forward(new ParameterStore(batch, false), new NDList(images), false).head();
      assertEquals(x[3 * 32 * 32 + 7], z.getFloat(1, 3 * 32 * 32 * 5 + 7), "a tiled pixel");
    }
  }

  /** VmRSS after collecting the heap (Linux, where the build runs). */
  private static long residentBytes() {
    usedHeap();
    long rss = ProcessMemory.residentBytes();
    assertTrue(rss > 0, "no VmRSS in /proc/self/status");
    return rss;
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void aMissingOrCorruptFileIsAClearErrorNamingIt() throws Exception {
    try (NDManager owner = NDManager.newBaseManager()) {
      Path missing = dir.resolve("nowhere.onnx");
      ConfigException e =
          assertThrows(ConfigException.class, () -> build(DEFAULT, CIFAR, owner, missing));
      assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("weights:"), e.getMessage());
      ConfigException none =
          assertThrows(ConfigException.class, () -> build(DEFAULT, CIFAR, owner, null));
      assertTrue(none.getMessage().contains("weights:"), none.getMessage());

      byte[] whole = TinyOnnx.classifier(false).toBytes();
      Path cut = Files.write(dir.resolve("cut.onnx"), java.util.Arrays.copyOf(whole, 100));
      ConfigException c =
          assertThrows(ConfigException.class, () -> build(DEFAULT, CIFAR, owner, cut));
      assertTrue(c.getMessage().contains(cut.toString()), c.getMessage());
      assertTrue(
          c.getMessage().contains("not an ONNX model ONNX Runtime can load ("), c.getMessage());
      assertTrue(c.getMessage().contains("fix:"), c.getMessage());
    }
  }

  @Test
  void anInputThatIsNotFourDimensionalFloatIsAClearError() {
    OnnxModel m = new OnnxModel("flat", 17);
    m.input("x", OnnxModel.FLOAT, "N", 3072).output("y", OnnxModel.FLOAT, "N", 10);
    m.floats("w", new float[3072 * 10], 3072, 10);
    m.node("MatMul", List.of("x", "w"), List.of("y"));
    Path file = TinyOnnx.write(m, dir.resolve("flat.onnx"));
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> build(DEFAULT, CIFAR, owner, file));
      assertTrue(e.getMessage().contains("input 'x'"), e.getMessage());
      assertTrue(e.getMessage().contains("4-D float"), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }

  @Test
  void anOutputThatIsNotTwoDimensionalIsAClearError() {
    OnnxModel m = new OnnxModel("maps", 17);
    m.input("x", OnnxModel.FLOAT, "N", 3, 32, 32).output("y", OnnxModel.FLOAT, "N", 10, 1, 1);
    m.floats("w", new float[30], 10, 3, 1, 1);
    m.node("Conv", List.of("x", "w"), List.of("c"));
    m.node("GlobalAveragePool", List.of("c"), List.of("y"));
    Path file = TinyOnnx.write(m, dir.resolve("maps.onnx"));
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> build(DEFAULT, CIFAR, owner, file));
      assertTrue(e.getMessage().contains("2-D float32 output"), e.getMessage());
      assertTrue(e.getMessage().contains("flattened to (N, classes)"), e.getMessage());
    }
    OnnxModel two = TinyOnnx.classifier(false);
    two.output("maps", OnnxModel.FLOAT, "N", 10, 32, 32);
    Path twoFile = TinyOnnx.write(two, dir.resolve("two.onnx"));
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> build(DEFAULT, CIFAR, owner, twoFile));
      assertTrue(e.getMessage().contains("returns 2 outputs [logits, maps]"), e.getMessage());
    }
  }

  @Test
  void classesAndImageShapeAreCheckedAgainstTheFileAndTheDataset() {
    Path file = TinyOnnx.write(TinyOnnx.classifier(false), dir.resolve("m.onnx"));
    try (NDManager owner = NDManager.newBaseManager()) {
      ConfigException config =
          assertThrows(
              ConfigException.class,
              () -> build(new OnnxModelProvider.Config(5, null), CIFAR, owner, file));
      assertTrue(
          config.getMessage().contains("returns 10 logits per image, the suite says classes: 5"),
          config.getMessage());
      ConfigException dataset =
          assertThrows(
              ConfigException.class,
              () -> build(DEFAULT, new ModelInput(3, 32, 32, 100), owner, file));
      assertTrue(
          dataset.getMessage().contains("the dataset has 100 classes"), dataset.getMessage());
      ConfigException grey =
          assertThrows(
              ConfigException.class,
              () -> build(DEFAULT, new ModelInput(1, 28, 28, 10), owner, file));
      assertTrue(
          grey.getMessage().contains("[3, 32, 32]") && grey.getMessage().contains("[1, 28, 28]"),
          grey.getMessage());
    }
  }

  @Test
  void theProviderReadsItsOwnWeightsAndGivesNoGradients() {
    OnnxModelProvider p = new OnnxModelProvider();
    assertTrue(p.readsOwnWeights());
    assertFalse(p.differentiable(DEFAULT));
    assertEquals(OnnxModelProvider.Optimization.ALL, DEFAULT.optimization());
    assertThrows(IllegalArgumentException.class, () -> new OnnxModelProvider.Config(1, null));
  }
}
