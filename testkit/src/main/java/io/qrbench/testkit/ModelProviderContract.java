package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.qrbench.nn.Layers;
import io.qrbench.nn.WeightTensors;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ModelProvider} promises, as JUnit 5 tests: extend this class, name the provider
 * and a configuration, and each test builds the model as the runner does (initialised on one image
 * when the provider does not read its own weights) and checks it.
 *
 * <p>The promises: a batch (N, C, H, W) of images in [0,1] gives (N, classes) finite float32
 * logits; the same images give the same logits; an image's logits do not depend on the rest of its
 * batch (inference mode: BatchNorm uses its running statistics); and every kernel comes from the
 * context's {@link Layers}, where a quantizer finds it.
 *
 * @param <C> the provider's configuration record
 */
public abstract class ModelProviderContract<C extends Record> {
  private NDManager manager;
  private Layers layers;
  private Block block;

  /** The provider under test (a new instance, as the registry would make). */
  protected abstract ModelProvider<C> provider();

  /** The configuration to build. */
  protected abstract C config();

  /** The input shape and classes the model is built for: CIFAR-10's by default. */
  protected ModelInput input() {
    return new ModelInput(3, 32, 32, 10);
  }

  /**
   * The weights file for a provider that reads its own ({@link ModelProvider#readsOwnWeights()}).
   */
  protected Optional<Path> weights() {
    return Optional.empty();
  }

  /**
   * The largest difference accepted between an image's logits alone and within a batch: a
   * convolution library may sum in another order for another batch size.
   */
  protected float batchTolerance() {
    return 1e-4f;
  }

  @BeforeEach
  protected final void buildModelContractModel() {
    manager = NDManager.newBaseManager();
    layers = Layers.plain();
    ModelInput in = input();
    block = provider().build(config(), new ModelContext(in, layers, manager, weights()));
    assertNotNull(block, "build() returned null");
    if (!provider().readsOwnWeights()) {
      block.initialize(
          manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
    }
  }

  @AfterEach
  protected final void closeModelContractModel() {
    manager.close();
  }

  @Test
  public void isAWellFormedPlugin() {
    PluginChecks.assertWellFormed(provider(), config());
  }

  @Test
  public void aBatchOfImagesGivesOneRowOfFiniteLogitsEach() {
    for (int n : new int[] {1, 3}) {
      try (NDManager batch = manager.newSubManager()) {
        NDArray z = forward(images(batch, 0, n));
        assertEquals(new Shape(n, input().classes()), z.getShape(), "logits of " + n + " image(s)");
        assertEquals(DataType.FLOAT32, z.getDataType(), "the logits' data type");
        float[] v = z.toFloatArray();
        for (int j = 0; j < v.length; j++) {
          if (!Float.isFinite(v[j])) {
            fail(
                "logit "
                    + j % input().classes()
                    + " of image "
                    + j / input().classes()
                    + " is "
                    + v[j]);
          }
        }
      }
    }
  }

  @Test
  public void theSameImagesGiveTheSameLogits() {
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = images(batch, 0, 4);
      float[] first = forward(x).toFloatArray();
      float[] again = forward(x).toFloatArray();
      for (int j = 0; j < first.length; j++) {
        if (Float.floatToIntBits(first[j]) != Float.floatToIntBits(again[j])) {
          fail(
              "logit "
                  + j
                  + " is "
                  + first[j]
                  + " then "
                  + again[j]
                  + ": the forward pass must be deterministic"
                  + " (no dropout or noise at inference)");
        }
      }
    }
  }

  @Test
  public void anImagesLogitsDoNotDependOnItsBatch() {
    try (NDManager batch = manager.newSubManager()) {
      float[] together = forward(images(batch, 0, 4)).toFloatArray();
      float[] alone = forward(images(batch, 2, 1)).toFloatArray();
      int k = input().classes();
      for (int j = 0; j < k; j++) {
        float t = together[2 * k + j];
        if (Math.abs(t - alone[j]) > batchTolerance() * (1 + Math.abs(t))) {
          fail(
              "logit "
                  + j
                  + " of an image is "
                  + t
                  + " in a batch of 4 and "
                  + alone[j]
                  + " alone: inference"
                  + " must not use batch statistics");
        }
      }
    }
  }

  @Test
  public void everyKernelComesFromTheContextsLayers() {
    if (provider().readsOwnWeights()) {
      // an imported model's layers are not qrbench's to make: the runner finds its kernels in the
      // block, but only when the provider made none through the layer factory
      assertEquals(
          List.of(), layers.made(), "an imported model makes no layers through context.layers()");
      return;
    }
    // the kernels as the runner finds them: convolution and dense weights, never BatchNorm's
    long kernels = WeightTensors.of(block).size();
    assertEquals(
        kernels,
        layers.made().size(),
        "kernels in the block and layers made by context.layers(): a"
            + " quantizer reaches only the latter");
    assertEquals(kernels, layers.quantizable().size(), "quantizable layers");
  }

  /** Seeded images, ids {@code from..from+n-1}, in {@code batch}. */
  private NDArray images(NDManager batch, int from, int n) {
    ModelInput in = input();
    return TestImages.batch(
        batch, new Shape(in.channels(), in.height(), in.width()), TestImages.range(from, n));
  }

  private NDArray forward(NDArray x) {
    return block
        .forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
        .singletonOrThrow();
  }
}
