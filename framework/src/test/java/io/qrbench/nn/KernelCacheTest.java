package io.qrbench.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Quantized kernels are computed once per evaluation while weights are final, and never go stale.
 */
class KernelCacheTest {

  @Test
  void evaluationReusesTheKernelUntilWeightsMayChange() {
    AtomicInteger calls = new AtomicInteger();
    WeightTransform sign =
        (latent, training) -> {
          calls.incrementAndGet();
          return training ? WeightTransform.straightThrough(latent, latent.sign()) : latent.sign();
        };
    Layers layers = Layers.withHook(info -> Optional.of(sign));
    Block conv = layers.conv2d("c", LayerInfo.Role.HIDDEN, 4, 3, 1, 1, false);
    try (NDManager m = NDManager.newBaseManager()) {
      conv.setInitializer(new NormalInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
      conv.initialize(m, DataType.FLOAT32, new Shape(2, 3, 8, 8));
      ParameterStore store = new ParameterStore(m, false);
      NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 8, 8));

      float[] uncached = forward(conv, store, x, false);
      forward(conv, store, x, false);
      assertEquals(2, calls.get(), "off by default: every pass recomputes");

      layers.cacheKernels(true);
      calls.set(0);
      float[] first = forward(conv, store, x, false);
      float[] second = forward(conv, store, x, false);
      assertEquals(1, calls.get(), "computed once, then kept");
      assertArrayEquals(uncached, first, 0f);
      assertArrayEquals(uncached, second, 0f);

      forward(conv, store, x, true);
      assertEquals(
          2,
          calls.get(),
          "a training pass always transforms (gradients must reach the latent kernel)");

      // the weights change: turning the cache off and on again must not serve the old kernel
      layers.cacheKernels(false);
      NDArray w = conv.getParameters().get("weight").getArray();
      w.muli(-1);
      layers.cacheKernels(true);
      float[] flipped = forward(conv, store, x, false);
      for (int i = 0; i < flipped.length; i++) {
        assertEquals(-uncached[i], flipped[i], 1e-5f);
      }
    }
  }

  private static float[] forward(Block b, ParameterStore store, NDArray x, boolean training) {
    try (NDManager batch = x.getManager().newSubManager()) {
      NDArray in = x.duplicate();
      in.attach(batch);
      return b.forward(store, new NDList(in), training).singletonOrThrow().toFloatArray();
    }
  }
}
