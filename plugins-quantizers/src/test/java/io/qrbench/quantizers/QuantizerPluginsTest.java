package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.qrbench.ConfigException;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The quantizer plugins on a small convolutional model built through the layer hook. */
class QuantizerPluginsTest {

  /** conv (input) -> conv (hidden) -> conv (hidden) -> dense (output). */
  static Block model(Layers layers) {
    return new SequentialBlock()
        .add(layers.conv2d("stem", LayerInfo.Role.INPUT, 8, 3, 1, 1, false))
        .add(Activation.reluBlock())
        .add(layers.conv2d("body1", LayerInfo.Role.HIDDEN, 16, 3, 1, 1, false))
        .add(Activation.reluBlock())
        .add(layers.conv2d("body2", LayerInfo.Role.HIDDEN, 16, 3, 2, 1, true))
        .add(Blocks.batchFlattenBlock())
        .add(layers.linear("classifier", LayerInfo.Role.OUTPUT, 10, true));
  }

  /** Builds and initialises the model, then runs {@code body} on its layers. */
  static <T> T withModel(Layers layers, Function<List<QuantizableLayer>, T> body) {
    try (Model m = Model.newInstance("q")) {
      Block b = model(layers);
      m.setBlock(b);
      b.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 8, 8));
      List<QuantizableLayer> q = layers.quantizable();
      layers.hook().prepare(q, m.getNDManager());
      return body.apply(q);
    }
  }

  private static Set<Float> distinct(float[] v) {
    Set<Float> s = new HashSet<>();
    for (float f : v) {
      s.add(f);
    }
    return s;
  }

  @Test
  void skippedLayersAreBitIdenticalAndQuantizedOnesHaveTheExpectedLevels() {
    withModel(
        Layers.plain(),
        layers -> {
          float[][] before =
              layers.stream()
                  .map(l -> l.weight().getArray().toFloatArray())
                  .toArray(float[][]::new);
          QuantizationSummary s =
              new TwnQuantizer().quantize(new TwnQuantizer.Config(null, null, null), layers);
          assertArrayEquals(
              before[0],
              layers.get(0).weight().getArray().toFloatArray(),
              "the first conv stays FP");
          assertArrayEquals(
              before[3],
              layers.get(3).weight().getArray().toFloatArray(),
              "the classifier stays FP");
          assertEquals(
              List.of(false, true, true, false),
              s.layers().stream().map(QuantizationSummary.Layer::quantized).toList());
          for (int i = 1; i <= 2; i++) {
            Set<Float> values = distinct(layers.get(i).weight().getArray().toFloatArray());
            assertEquals(3, values.size(), "ternary per layer: -alpha, 0, +alpha");
            assertTrue(values.contains(0f));
            float alpha = values.stream().filter(v -> v > 0).findFirst().orElseThrow();
            assertTrue(values.contains(-alpha));
          }
          assertEquals(1.6, s.layers().get(1).bitsPerWeight(), 1e-12);
          assertEquals(32.0, s.layers().get(0).bitsPerWeight());
          assertTrue(s.packedBytes() < s.fp32Bytes());
          return null;
        });
  }

  @Test
  void everySchemeGivesItsNumberOfLevels() {
    record Case(KernelQuantizer<?> q, Record config, int perLayer) {}
    List<Case> cases =
        List.of(
            new Case(new BinaryQuantizer(), new BinaryQuantizer.Config(null, List.of()), 2),
            new Case(new TtqQuantizer(), new TtqQuantizer.Config(null, null, List.of()), 3),
            new Case(new TwnQuantizer(), new TwnQuantizer.Config("optimal", null, List.of()), 3));
    for (Case c : cases) {
      withModel(
          Layers.plain(),
          layers -> {
            quantize(c.q(), c.config(), layers);
            for (QuantizableLayer l : layers) {
              assertEquals(
                  c.perLayer(),
                  distinct(l.weight().getArray().toFloatArray()).size(),
                  c.q().id() + " " + l.info());
            }
            return null;
          });
    }
    withModel(
        Layers.plain(),
        layers -> {
          quantize(
              new UniformQuantizer(),
              new UniformQuantizer.Config(3, Granularity.CHANNEL, List.of()),
              layers);
          float[] w = layers.get(1).weight().getArray().toFloatArray();
          int per = w.length / 16;
          for (int c = 0; c < 16; c++) {
            Set<Float> s = new HashSet<>();
            for (int i = c * per; i < (c + 1) * per; i++) {
              s.add(w[i]);
            }
            assertTrue(
                s.size() <= 7, "3-bit symmetric: at most 7 levels per channel, got " + s.size());
          }
          return null;
        });
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record> QuantizationSummary quantize(
      KernelQuantizer<C> q, Record config, List<QuantizableLayer> layers) {
    return q.quantize((C) config, layers);
  }

  @Test
  void skipTakesLayerNamesAndRefusesNamesThatMatchNothing() {
    withModel(
        Layers.plain(),
        layers -> {
          QuantizationSummary s =
              new BinaryQuantizer()
                  .quantize(new BinaryQuantizer.Config(null, List.of("body2")), layers);
          assertEquals(
              List.of(true, true, false, true),
              s.layers().stream().map(QuantizationSummary.Layer::quantized).toList());
          ConfigException e =
              assertThrows(
                  ConfigException.class,
                  () ->
                      new BinaryQuantizer()
                          .quantize(new BinaryQuantizer.Config(null, List.of("body3")), layers));
          assertTrue(
              e.getMessage().contains("[body3] match no layer")
                  && e.getMessage().contains("stem, body1, body2, classifier"),
              e.getMessage());
          return null;
        });
  }

  @Test
  void postTrainingQuantizationIsIdempotent() {
    withModel(
        Layers.plain(),
        layers -> {
          TwnQuantizer.Config c = new TwnQuantizer.Config("optimal", Granularity.CHANNEL, null);
          new TwnQuantizer().quantize(c, layers);
          float[] once = layers.get(1).weight().getArray().toFloatArray();
          QuantizationSummary again = new TwnQuantizer().quantize(c, layers);
          assertArrayEquals(once, layers.get(1).weight().getArray().toFloatArray());
          assertEquals(0.0, again.layers().get(1).relativeError(), 1e-12);
          return null;
        });
  }

  @Test
  void evaluationThroughTheHookEqualsPostTrainingQuantization() {
    TwnQuantizer twn = new TwnQuantizer();
    TwnQuantizer.Config c = new TwnQuantizer.Config(null, null, null);
    float[] hooked = logits(Layers.withHook(twn.trainingHook(c).orElseThrow()), layers -> null);
    float[] ptq = logits(Layers.plain(), layers -> twn.quantize(c, layers));
    assertArrayEquals(ptq, hooked, 1e-5f);
    // TTQ before training: its scales (kept in units of max|w|) start at the post-training fit
    TtqQuantizer ttq = new TtqQuantizer();
    TtqQuantizer.Config t = new TtqQuantizer.Config(null, null, null);
    float[] ttqHooked = logits(Layers.withHook(ttq.trainingHook(t).orElseThrow()), layers -> null);
    float[] ttqPtq = logits(Layers.plain(), layers -> ttq.quantize(t, layers));
    assertArrayEquals(ttqPtq, ttqHooked, 1e-5f);
  }

  /** Logits of a fixed input after {@code prepare} ran on the freshly seeded model. */
  private static float[] logits(Layers layers, Function<List<QuantizableLayer>, Object> prepare) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(5);
    try (Model m = Model.newInstance("q")) {
      Block b = model(layers);
      m.setBlock(b);
      b.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 8, 8));
      layers.hook().prepare(layers.quantizable(), m.getNDManager());
      prepare.apply(layers.quantizable());
      NDArray x = m.getNDManager().randomUniform(0, 1, new Shape(2, 3, 8, 8));
      return b.forward(new ParameterStore(m.getNDManager(), false), new NDList(x), false)
          .singletonOrThrow()
          .toFloatArray();
    }
  }

  @Test
  void configsSayWhatIsWrong() {
    IllegalArgumentException d =
        assertThrows(
            IllegalArgumentException.class, () -> new TwnQuantizer.Config("optimum", null, null));
    assertTrue(d.getMessage().contains("'optimal'"), d.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TwnQuantizer.Config(-0.5, null, null));
    IllegalArgumentException b =
        assertThrows(
            IllegalArgumentException.class, () -> new UniformQuantizer.Config(9, null, null));
    assertTrue(b.getMessage().contains("2..8"), b.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TtqQuantizer.Config(1.5, null, null));
    assertEquals(List.of("input", "output"), new TtqQuantizer.Config(null, null, null).skip());
    assertEquals(Granularity.CHANNEL, new UniformQuantizer.Config(null, null, null).granularity());
    assertFalse(new Fp32Quantizer().trainingHook(new io.qrbench.spi.EmptyConfig()).isPresent());
  }

  static NDManager manager() {
    return NDManager.newBaseManager();
  }
}
