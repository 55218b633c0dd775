package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Perturbation} promises, as JUnit 5 tests: extend this class, name the
 * perturbation and a configuration, and each test runs against it.
 *
 * <p>The promises are those the runner relies on to make a benchmark reproducible: an image's
 * output depends only on the image, its index in the dataset and the run's seed (so every model and
 * every batch size sees the same perturbed image), is float32 in [0,1] of the input's shape, leaves
 * the clean batch as it was (the runner evaluates it too), and is freed with the batch.
 *
 * <p>Batches are seeded 8-bit images ({@link TestImages}) in a {@link FakePerturbationContext};
 * attacks take gradients through a {@link LinearModelUnderTest}, whose per-image results do not
 * depend on the batch.
 *
 * @param <C> the perturbation's configuration record
 */
public abstract class PerturbationContract<C extends Record> {
  /** The run seed of most tests. */
  protected static final long SEED = 20160101L;

  private NDManager manager;
  private ModelUnderTest model;

  /**
   * One instance for all batches of a test, as the registry keeps one: state it keeps must not
   * leak.
   */
  private Perturbation<C> plugin;

  /** The perturbation under test (a new instance, as the registry would make). */
  protected abstract Perturbation<C> perturbation();

  /**
   * A configuration that makes it change images; for a random perturbation, strong enough to show
   * it.
   */
  protected abstract C config();

  /** The shape (C, H, W) of the test images. */
  protected Shape imageShape() {
    return new Shape(3, 16, 16);
  }

  /** The number of classes of the test labels and model. */
  protected int classes() {
    return 10;
  }

  /** The model attacks take gradients through; by default a seeded {@link LinearModelUnderTest}. */
  protected ModelUnderTest model() {
    return new LinearModelUnderTest(imageShape(), classes(), 17);
  }

  /**
   * Whether the output depends on the seed (true for noises and for attacks with a random start):
   * then another run seed must give another output.
   */
  protected boolean random() {
    return true;
  }

  /** Whether {@link #config()} changes the images (false for the identity). */
  protected boolean changesImages() {
    return true;
  }

  /**
   * The largest difference accepted where two computations must agree (batch of 8 against two of 4,
   * an image with other neighbours). 0 by default: exact, as a perturbation that computes each
   * image on its own gives with the default model.
   */
  protected float tolerance() {
    return 0f;
  }

  @BeforeEach
  protected final void openPerturbationContractManager() {
    manager = NDManager.newBaseManager();
    model = model();
    plugin = perturbation();
  }

  @AfterEach
  protected final void closePerturbationContractManager() {
    manager.close();
  }

  @Test
  public void isAWellFormedPlugin() {
    PluginChecks.assertWellFormed(plugin, config());
  }

  @Test
  public void sameSeedGivesTheSameOutput() {
    int[] ids = TestImages.range(0, 8);
    float[] first = run(ids, 0, SEED);
    float[] again = run(ids, 0, SEED);
    assertClose(
        first,
        again,
        0f,
        "two runs with the same seed (a perturbation must draw only from"
            + " context.random(i) or context.seed(i), never from a shared or unseeded generator)");
    if (random()) {
      assertFalse(
          Arrays.equals(first, run(ids, 0, SEED + 1)),
          "another run seed gives another output (or override random() to say it takes no randomness)");
    }
  }

  @Test
  public void aBatchOfEightEqualsTwoBatchesOfFour() {
    float[] eight = run(TestImages.range(0, 8), 40, SEED);
    float[] four = run(TestImages.range(0, 4), 40, SEED);
    float[] next = run(TestImages.range(4, 4), 44, SEED);
    float[] both = Arrays.copyOf(four, eight.length);
    System.arraycopy(next, 0, both, four.length, next.length);
    assertClose(
        eight,
        both,
        tolerance(),
        "images 40..47 in one batch of 8 and in two batches of 4 (image i"
            + " must draw from context.random(i) or context.seed(i), not from one generator for the batch)");
  }

  @Test
  public void anImagesOutputDoesNotDependOnItsNeighbours() {
    int[] ids = TestImages.range(0, 8);
    int[] others = TestImages.range(100, 8);
    others[2] = ids[2];
    others[5] = ids[5];
    float[] a = run(ids, 0, SEED);
    float[] b = run(others, 0, SEED);
    int per = Math.toIntExact(imageShape().size());
    for (int i : new int[] {2, 5}) {
      assertClose(
          Arrays.copyOfRange(a, i * per, (i + 1) * per),
          Arrays.copyOfRange(b, i * per, (i + 1) * per),
          tolerance(),
          "image "
              + i
              + " among other neighbours (batch statistics must not reach one image's"
              + " output)");
    }
  }

  @Test
  public void outputIsFloat32InTheUnitIntervalOfTheInputsShape() {
    try (NDManager batch = manager.newSubManager()) {
      int[] ids = TestImages.range(0, 5);
      NDArray x = TestImages.batch(batch, imageShape(), ids);
      NDArray out = plugin.apply(config(), context(batch, x, ids, 0, SEED));
      assertNotNull(out, "apply returned null");
      assertEquals(x.getShape(), out.getShape(), "the output's shape");
      assertEquals(DataType.FLOAT32, out.getDataType(), "the output's data type");
      float[] v = out.toFloatArray();
      for (int j = 0; j < v.length; j++) {
        if (!(v[j] >= 0f && v[j] <= 1f)) {
          fail(
              "value "
                  + j
                  + " (image "
                  + j / (v.length / ids.length)
                  + ") is "
                  + v[j]
                  + ", not in [0,1]: clip the output");
        }
      }
      if (changesImages()) {
        assertFalse(
            Arrays.equals(x.toFloatArray(), v),
            "config() changes the images (or override changesImages())");
      }
    }
  }

  @Test
  public void theCleanBatchIsNotModified() {
    try (NDManager batch = manager.newSubManager()) {
      int[] ids = TestImages.range(0, 4);
      NDArray x = TestImages.batch(batch, imageShape(), ids);
      NDArray y = TestImages.labels(batch, classes(), ids);
      float[] before = x.toFloatArray();
      int[] labels = y.toIntArray();
      plugin.apply(config(), new FakePerturbationContext(x, y, 0, SEED, model));
      assertClose(
          before,
          x.toFloatArray(),
          0f,
          "context.images() after apply (the runner evaluates the clean"
              + " batch too: write into a copy, never in place)");
      assertTrue(Arrays.equals(labels, y.toIntArray()), "context.labels() after apply");
    }
  }

  /**
   * {@link Perturbation#usesGradients} tells the truth: the suite loader relies on it to refuse a
   * white-box attack on a model without gradients (an ONNX one) before anything runs, so an attack
   * that asks for gradients but says it does not would fail only at run time.
   */
  @Test
  public void usesGradientsSaysWhetherItAsksTheModelForGradients() {
    GradientCountingModel counting = model == null ? null : new GradientCountingModel(model);
    try (NDManager batch = manager.newSubManager()) {
      int[] ids = TestImages.range(0, 4);
      NDArray x = TestImages.batch(batch, imageShape(), ids);
      // labelled as the model predicts them, so that an attack skipping the images the model gets
      // wrong still has every image to attack
      NDArray y =
          model == null ? TestImages.labels(batch, classes(), ids) : model.logits(x).argMax(1);
      plugin.apply(config(), new FakePerturbationContext(x, y, 0, SEED, counting));
    }
    assertEquals(
        plugin.usesGradients(config()),
        counting != null && counting.gradients() > 0,
        "usesGradients(config) is "
            + plugin.usesGradients(config())
            + " and the model was asked for gradients "
            + (counting == null ? 0 : counting.gradients())
            + " times on a batch of 4");
  }

  @Test
  public void theOutputIsFreedWithTheBatch() {
    NDArray out;
    try (NDManager batch = manager.newSubManager()) {
      int[] ids = TestImages.range(0, 2);
      out =
          plugin.apply(
              config(), context(batch, TestImages.batch(batch, imageShape(), ids), ids, 0, SEED));
    }
    assertTrue(
        out.isReleased(),
        "the output belongs to context.manager() (or an array it owns), so it is freed"
            + " when the batch ends");
  }

  private FakePerturbationContext context(
      NDManager batch, NDArray x, int[] ids, int firstIndex, long seed) {
    return new FakePerturbationContext(
        x, TestImages.labels(batch, classes(), ids), firstIndex, seed, model);
  }

  /**
   * The output of one batch of the images {@code ids}, the first at dataset index {@code
   * firstIndex}.
   */
  private float[] run(int[] ids, int firstIndex, long seed) {
    try (NDManager batch = manager.newSubManager()) {
      NDArray x = TestImages.batch(batch, imageShape(), ids);
      return plugin.apply(config(), context(batch, x, ids, firstIndex, seed)).toFloatArray();
    }
  }

  /** Fails on the first value that differs by more than {@code tolerance}, naming its image. */
  private void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": number of values");
    int per = Math.toIntExact(imageShape().size());
    for (int j = 0; j < expected.length; j++) {
      boolean same =
          tolerance == 0f
              ? Float.floatToIntBits(expected[j]) == Float.floatToIntBits(actual[j])
              : Math.abs(expected[j] - actual[j]) <= tolerance;
      if (!same) {
        fail(
            what
                + ": value "
                + j % per
                + " of image "
                + j / per
                + " is "
                + actual[j]
                + ", expected "
                + expected[j]
                + (tolerance == 0f ? "" : " +- " + tolerance));
      }
    }
  }
}
