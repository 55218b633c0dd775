package io.qrbench.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store where a transfer attack keeps the images it crafted, for the next models. */
public class CraftedImagesTest {
  @TempDir Path dir;

  /**
   * Stores {@code images} as the batch from image {@code from}: how a runner test plants a stale
   * batch.
   */
  public static void plant(CraftedImages store, int from, NDArray images) {
    store.store(from, images, Map.of());
  }

  @Test
  void craftedBatchesReadBackWithTheirSumsAndOnlyForTheirShape() {
    CraftedImages store = CraftedImages.of(dir, "pgd@FP", "epsilon=0.03");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomUniform(0f, 1f, new ai.djl.ndarray.types.Shape(5, 3, 4, 4));
      store.store(10, x, Map.of("fooled", 3.0));
      CraftedImages.Batch b = store.load(10, x.getShape(), m);
      assertArrayEquals(x.toFloatArray(), b.images().toFloatArray());
      assertEquals(Map.of("fooled", 3.0), b.sums());
      assertNull(
          store.load(10, new ai.djl.ndarray.types.Shape(4, 3, 4, 4), m),
          "another batch shape is crafted again");
      assertNull(store.load(0, x.getShape(), m), "a batch never stored");
    }
    CraftedImages.clear(dir);
    assertFalse(java.nio.file.Files.exists(dir.resolve(CraftedImages.FOLDER)));
  }
}
