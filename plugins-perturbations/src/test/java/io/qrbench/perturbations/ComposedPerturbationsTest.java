package io.qrbench.perturbations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qrbench.QrbenchException;
import io.qrbench.compose.ChainPerturbation;
import io.qrbench.compose.InputSpace;
import io.qrbench.compose.SpacedPerturbation;
import io.qrbench.perturbations.attacks.Fgsm;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.testing.SimpleContext;
import io.qrbench.testkit.LinearModelUnderTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The framework's {@code chain} and {@code space:} around the shipped noises and FGSM: a chain of
 * one is its step, stages are the chains of their prefixes, and noise in normalised units is pixel
 * noise times the channel's std.
 */
class ComposedPerturbationsTest {
  /** CIFAR-10's per-channel statistics, as resnet-cifar standardises. */
  private static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};

  private static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /** The four noises at scikit-image's defaults, as a suite writes them bare. */
  private static List<ChainPerturbation.Step> noises() {
    return List.of(
        step(new GaussianNoise(), new NormalNoiseConfig(null, null, null, null)),
        step(new PoissonNoise(), new PoissonNoise.Config(null, null, null)),
        step(new SaltAndPepperNoise(), new SaltAndPepperNoise.Config(null, null, null, null)),
        step(new SpeckleNoise(), new NormalNoiseConfig(null, null, null, null)));
  }

  private static ChainPerturbation.Step step(Perturbation<?> p, Record config) {
    return new ChainPerturbation.Step(p.id(), p, config, Map.of());
  }

  private static <C extends Record> float[] run(
      Perturbation<C> p, Record config, SimpleContext ctx) {
    return p.apply(p.configType().cast(config), ctx).toFloatArray();
  }

  private SimpleContext context(NDArray x, ModelUnderTest model) {
    int n = Math.toIntExact(x.getShape().get(0));
    NDArray labels = x.getManager().zeros(new Shape(n), DataType.INT32);
    return new SimpleContext(x, labels, 40, 11, model, x.getManager());
  }

  @Test
  void aChainOfOneIsItsStepImageForImage() {
    NDArray x = fx.random8Bit(5, 40);
    for (ChainPerturbation.Step s : noises()) {
      float[] alone = run(s.plugin(), s.config(), context(x, null));
      float[] chained =
          run(new ChainPerturbation(List.of(s)), new ChainPerturbation.Config(1), context(x, null));
      assertArrayEquals(alone, chained, s.label());
    }
  }

  @Test
  void stagesAreTheChainsOfTheirPrefixes() {
    NDArray x = fx.random8Bit(4, 40);
    ChainPerturbation whole = new ChainPerturbation(noises());
    float[] previous = x.toFloatArray();
    for (int k = 1; k <= 4; k++) {
      float[] stage = run(whole, new ChainPerturbation.Config(k), context(x, null));
      float[] prefix =
          run(
              new ChainPerturbation(noises().subList(0, k)),
              new ChainPerturbation.Config(k),
              context(x, null));
      assertArrayEquals(prefix, stage, "stage " + k);
      assertFalse(java.util.Arrays.equals(previous, stage), "step " + k + " changed nothing");
      previous = stage;
    }
  }

  @Test
  void laterStepsDrawFromTheirOwnSeeds() {
    // Gaussian twice: the second draw is not the first one again (that would double the noise)
    NDArray x = fx.constant(2, 0.5f);
    ChainPerturbation.Step g = noises().get(0);
    ChainPerturbation twice = new ChainPerturbation(List.of(g, g));
    float[] once = run(g.plugin(), g.config(), context(x, null));
    float[] both = run(twice, new ChainPerturbation.Config(2), context(x, null));
    double sameDirection = 0;
    for (int j = 0; j < once.length; j++) {
      double first = once[j] - 0.5;
      double second = both[j] - once[j];
      sameDirection += first * second;
    }
    // the same draw twice would give the mean of noise^2, the variance 0.01; independent draws
    // give about 0, within 0.00013 (the product's std 0.01 over 6,144 values)
    assertTrue(Math.abs(sameDirection / once.length) < 0.001, "" + sameDirection / once.length);
    assertEquals(
        ChainPerturbation.stepSeed(123L, 0), 123L, "step 0 keeps the case's seed of the image");
  }

  @Test
  void normalisedGaussianIsPixelGaussianTimesTheChannelStd() {
    NDArray x = fx.random8Bit(3, 40);
    Perturbation<?> g = new GaussianNoise();
    NormalNoiseConfig c = new NormalNoiseConfig(null, null, null, null);
    float[] wide = {-1e6f, 1e6f}; // no clipping: the noise as drawn
    float[] pixel =
        run(SpacedPerturbation.of(g, InputSpace.PIXEL, wide), c, context(x, standardised()));
    float[] normal =
        run(SpacedPerturbation.of(g, InputSpace.NORMALISED, wide), c, context(x, standardised()));
    float[] clean = x.toFloatArray();
    int plane = 32 * 32;
    for (int j = 0; j < clean.length; j++) {
      int channel = (j / plane) % 3;
      double expected = (pixel[j] - clean[j]) * STD[channel];
      assertEquals(expected, normal[j] - clean[j], 2e-6, "value " + j);
    }
  }

  @Test
  void normalisedNoiseClipsAsScikitImageDoesAndIsNotClippedBackToTheUnitRange() {
    NDArray x = fx.random8Bit(3, 40);
    Perturbation<?> g = new GaussianNoise();
    NormalNoiseConfig c = new NormalNoiseConfig(null, 0.25, null, null); // std 0.5: clips often
    float[] out =
        run(SpacedPerturbation.of(g, InputSpace.NORMALISED, null), c, context(x, standardised()));
    int plane = 32 * 32;
    boolean below = false;
    for (int j = 0; j < out.length; j++) {
      int channel = (j / plane) % 3;
      double z = (out[j] - MEAN[channel]) / STD[channel];
      assertTrue(
          z >= -1 - 1e-5 && z <= 1 + 1e-5, "z " + z + " outside [-1, 1]"); // images have z < 0
      below |= out[j] < 0.18f; // z = -1 is x = mean - std, 0.185 or more: no pixel below that
    }
    assertFalse(below, "a value below mean - std: the normalised clip did not apply");
    float[] pix = run(SpacedPerturbation.of(g, InputSpace.PIXEL255, null), c, context(x, null));
    for (float v : pix) {
      assertTrue(v >= 0 && v <= 1 / 255f + 1e-7, "0-255 images clipped to [0, 1] are dark: " + v);
    }
  }

  @Test
  void normalisedSpaceNeedsAModelThatSaysItsStandardisation() {
    NDArray x = fx.random8Bit(2, 40);
    LinearModelUnderTest plain = new LinearModelUnderTest(new Shape(3, 32, 32), 10, 3);
    Perturbation<?> spaced =
        SpacedPerturbation.of(new GaussianNoise(), InputSpace.NORMALISED, null);
    QrbenchException e =
        assertThrows(
            QrbenchException.class,
            () -> run(spaced, new NormalNoiseConfig(null, null, null, null), context(x, plain)));
    assertTrue(e.getMessage().contains("'" + plain.name() + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("space: pixel"), e.getMessage());
  }

  @Test
  void anAttackStepAttacksTheNoisyImageThroughTheModel() {
    NDArray x = fx.random8Bit(3, 40);
    LinearModelUnderTest model = new LinearModelUnderTest(new Shape(3, 32, 32), 10, 3);
    Fgsm fgsm = new Fgsm();
    Fgsm.Config eps = new Fgsm.Config(4 / 255.0);
    List<ChainPerturbation.Step> steps = new ArrayList<>(noises().subList(0, 1));
    steps.add(step(fgsm, eps));
    ChainPerturbation chain = new ChainPerturbation(steps);
    assertTrue(chain.usesGradients(new ChainPerturbation.Config(2)));
    assertFalse(chain.usesGradients(new ChainPerturbation.Config(1)));
    float[] noisy = run(chain, new ChainPerturbation.Config(1), context(x, model));
    float[] attacked = run(chain, new ChainPerturbation.Config(2), context(x, model));
    float[] direct = run(fgsm, eps, context(fx.batch(noisy), model));
    assertArrayEquals(direct, attacked);
  }

  /** A model handle that says CIFAR's standardisation (the noises never call the model). */
  private static ModelUnderTest standardised() {
    LinearModelUnderTest m = new LinearModelUnderTest(new Shape(3, 32, 32), 10, 3);
    return new ModelUnderTest() {
      @Override
      public String name() {
        return "standardised";
      }

      @Override
      public int classes() {
        return m.classes();
      }

      @Override
      public Optional<Standardisation> standardisation() {
        return Optional.of(new Standardisation(MEAN, STD));
      }

      @Override
      public NDArray logits(NDArray images) {
        return m.logits(images);
      }

      @Override
      public LossGradient lossGradient(NDArray images, NDArray labels) {
        return m.lossGradient(images, labels);
      }

      @Override
      public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
        return m.objectiveGradient(images, objective);
      }
    };
  }
}
