package io.qrbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.qrbench.ConfigException;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.nn.WeightTransform;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CifarResNetTest {

  /**
   * Trainable parameters of the option-A CIFAR ResNet with n blocks per stage, counted layer by
   * layer: the stem, two 3x3 convs and two BatchNorms (gamma, beta) per block, and the classifier.
   */
  private static long expectedParameters(int depth, int inChannels, int classes) {
    int n = (depth - 2) / 6;
    long stem = 9L * inChannels * 16 + 2 * 16;
    long stage1 = 2L * n * (9 * 16 * 16 + 2 * 16);
    long stage2 = 9 * 16 * 32 + (2L * n - 1) * 9 * 32 * 32 + 2L * n * 2 * 32;
    long stage3 = 9 * 32 * 64 + (2L * n - 1) * 9 * 64 * 64 + 2L * n * 2 * 64;
    long classifier = 64L * classes + classes;
    return stem + stage1 + stage2 + stage3 + classifier;
  }

  @Test
  void resnet20HasThePapersParameterCount() {
    assertEquals(269_722, expectedParameters(20, 3, 10));
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(
          269_722,
          Models.trainable(
              Models.initialised(new CifarResNet.Config(20, null, null), Models.CIFAR, m)));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {20, 32, 44, 56, 110})
  void parameterCountAndOutputShapeFollowTheDepth(int depth) {
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Models.initialised(new CifarResNet.Config(depth, null, null), Models.CIFAR, m);
      assertEquals(expectedParameters(depth, 3, 10), Models.trainable(net));
      NDArray x = m.randomUniform(0, 1, new Shape(3, 3, 32, 32));
      NDArray logits =
          net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      assertEquals(new Shape(3, 10), logits.getShape());
      assertTrue(
          logits.isInfinite().logicalOr(logits.isNaN()).none().getBoolean(), "finite logits");
    }
  }

  @Test
  void greyInputAndOtherClassCountsChangeOnlyTheStemAndClassifier() {
    ModelInput mnist = new ModelInput(1, 28, 28, 7);
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Models.initialised(new CifarResNet.Config(8, null, null), mnist, m);
      assertEquals(expectedParameters(8, 1, 7), Models.trainable(net));
      NDArray x = m.randomUniform(0, 1, new Shape(2, 1, 28, 28));
      assertEquals(
          new Shape(2, 7),
          net.forward(new ParameterStore(m, false), new NDList(x), false).head().getShape());
    }
  }

  @Test
  void kernelsAreHeNormalInitialised() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<Parameter> kernels =
          Models.kernels(
              Models.initialised(new CifarResNet.Config(20, null, null), Models.CIFAR, m));
      assertEquals(20, kernels.size());
      for (Parameter k : kernels) {
        Shape s = k.getArray().getShape();
        double fanIn = s.size() / s.get(0);
        NDArray w = k.getArray();
        double std = Math.sqrt(w.sub(w.mean()).square().mean().getFloat());
        // 1,728 to 36,864 draws per kernel; the smallest (the stem's 432) gets a looser bound
        double tolerance = s.size() < 1000 ? 0.15 : 0.05;
        assertEquals(
            Math.sqrt(2 / fanIn), std, tolerance * Math.sqrt(2 / fanIn), k.getName() + " " + s);
      }
    }
  }

  @Test
  void invalidDepthIsRejectedWithTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CifarResNet.Config(21, null, null));
    assertTrue(
        e.getMessage().contains("6n+2")
            && e.getMessage().contains("20, 32, 44, 56, 110")
            && e.getMessage().contains("was 21"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CifarResNet.Config(2, null, null));
    assertThrows(IllegalArgumentException.class, () -> new CifarResNet.Config(1208, null, null));
    assertEquals(1, new CifarResNet.Config(8, null, null).blocksPerStage());
  }

  @Test
  void configDefaultsAndValidation() {
    CifarResNet.Config c = new CifarResNet.Config(null, null, null);
    assertEquals(20, c.depth());
    assertEquals(List.of(0.4914, 0.4822, 0.4465), c.mean());
    assertEquals(List.of(0.2470, 0.2435, 0.2616), c.std());
    assertThrows(IllegalArgumentException.class, () -> new CifarResNet.Config(20, List.of(), null));
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CifarResNet.Config(20, null, List.of(0.2, 0.0, 0.2)));
    assertTrue(zero.getMessage().contains("std"), zero.getMessage());
  }

  @Test
  void statisticsMustMatchTheInputChannels() {
    ModelContext grey =
        new ModelContext(new ModelInput(1, 28, 28, 10), Layers.plain(), null, Optional.empty());
    // RGB defaults on grey input: the first entry; one entry: every channel
    assertArrayEquals(
        new float[] {0.4914f},
        CifarResNet.perChannel("mean", CifarResNet.CIFAR10_MEAN, CifarResNet.CIFAR10_MEAN, 1));
    assertArrayEquals(
        new float[] {0.5f, 0.5f, 0.5f},
        CifarResNet.perChannel("mean", List.of(0.5), CifarResNet.CIFAR10_MEAN, 3));
    new CifarResNet().build(new CifarResNet.Config(8, null, null), grey);
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                new CifarResNet().build(new CifarResNet.Config(8, List.of(0.1, 0.2), null), grey));
    assertTrue(
        e.getMessage().contains("mean has 2 entries") && e.getMessage().contains("1 channel;"),
        e.getMessage());
  }

  /**
   * The model standardises its input itself: it gives the same logits on [0,1] images as a twin
   * with identical weights and identity statistics gives on images standardised by hand.
   */
  @Test
  void normalisationHappensInsideTheModel() throws Exception {
    ModelInput in = Models.CIFAR;
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Models.initialised(new CifarResNet.Config(8, null, null), in, m);
      Block twin = Models.initialised(new CifarResNet.Config(8, List.of(0.0), List.of(1.0)), in, m);
      copyParameters(net, twin, m);
      NDArray x = m.randomUniform(0, 1, new Shape(4, 3, 32, 32));
      NDArray mean = m.create(new float[] {0.4914f, 0.4822f, 0.4465f}, new Shape(1, 3, 1, 1));
      NDArray std = m.create(new float[] {0.2470f, 0.2435f, 0.2616f}, new Shape(1, 3, 1, 1));
      NDArray expected =
          twin.forward(new ParameterStore(m, false), new NDList(x.sub(mean).div(std)), false)
              .head();
      NDArray actual = net.forward(new ParameterStore(m, false), new NDList(x), false).head();
      assertTrue(actual.allClose(expected, 1e-5, 1e-5, false), "same logits");
      NDArray raw = twin.forward(new ParameterStore(m, false), new NDList(x), false).head();
      assertTrue(!actual.allClose(raw, 1e-3, 1e-3, false), "statistics matter");
    }
  }

  /**
   * The per-channel mean image standardises to exactly zero, so every bias-free conv, fresh
   * BatchNorm (inference mode) and ReLU keeps it zero and the logits are the classifier's bias.
   */
  @Test
  void theMeanImageGivesTheClassifierBias() {
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Models.initialised(new CifarResNet.Config(20, null, null), Models.CIFAR, m);
      Parameter bias =
          net.getParameters().values().stream()
              .filter(p -> p.getType().equals(Parameter.Type.BIAS))
              .reduce((a, b) -> b)
              .orElseThrow();
      float[] b = new float[10];
      for (int i = 0; i < b.length; i++) {
        b[i] = 0.1f * i - 0.3f;
      }
      bias.getArray().set(b);
      NDArray meanImage =
          m.create(new float[] {0.4914f, 0.4822f, 0.4465f}, new Shape(1, 3, 1, 1))
              .broadcast(new Shape(2, 3, 32, 32));
      float[] logits =
          net.forward(new ParameterStore(m, false), new NDList(meanImage), false)
              .head()
              .toFloatArray();
      for (int i = 0; i < logits.length; i++) {
        assertEquals(b[i % 10], logits[i], 1e-6, "logit " + i);
      }
    }
  }

  /**
   * Every conv and dense layer is made through the layer factory, so a quantizer's hook reaches it.
   */
  @Test
  void aQuantizationHookReachesEveryConvAndDenseLayer() {
    List<LayerInfo> seen = new ArrayList<>();
    List<String> applied = new ArrayList<>();
    Layers layers =
        Layers.withHook(
            info -> {
              seen.add(info);
              return Optional.<WeightTransform>of(
                  (w, training) -> {
                    applied.add(info.name());
                    return w;
                  });
            });
    Block net = Models.resnet(20, layers);
    assertEquals(20, seen.size());
    assertEquals(seen, layers.made());
    assertEquals(
        new LayerInfo("stem.conv", LayerInfo.Kind.CONV, LayerInfo.Role.INPUT), seen.get(0));
    assertEquals(
        new LayerInfo("classifier", LayerInfo.Kind.DENSE, LayerInfo.Role.OUTPUT), seen.get(19));
    assertTrue(
        seen.subList(1, 19).stream()
            .allMatch(i -> i.kind() == LayerInfo.Kind.CONV && i.role() == LayerInfo.Role.HIDDEN));
    assertEquals("stage3.block3.conv2", seen.get(18).name());
    Set<String> names = seen.stream().map(LayerInfo::name).collect(Collectors.toSet());
    assertEquals(20, names.size(), "unique names");
    try (NDManager m = NDManager.newBaseManager()) {
      net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, 32, 32));
      applied.clear();
      net.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 3, 32, 32))), false);
      assertEquals(
          seen.stream().map(LayerInfo::name).toList(),
          applied,
          "each kernel transformed once per pass");
      // the hooked kernels are the model's own parameters: 19 convs and 1 dense
      assertEquals(20, Models.kernels(net).size());
    }
  }

  private static void copyParameters(Block from, Block to, NDManager manager) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      from.saveParameters(out);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      to.loadParameters(manager, in);
    }
  }
}
