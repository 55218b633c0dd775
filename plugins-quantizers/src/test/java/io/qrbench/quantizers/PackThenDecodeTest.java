package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.qrbench.nn.Layers;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.packed.Decoding;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.spi.packed.Packing;
import io.qrbench.weights.PackedWeights;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pack-then-decode equals quantize, bit for bit: for every built-in quantizer on a real model, and
 * for a quantizer the framework has never heard of, whose packed file loads through the framework.
 */
class PackThenDecodeTest {

  @TempDir Path dir;

  private static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }

  private record Case(String name, KernelQuantizer<?> quantizer, Record config) {}

  private static List<Case> builtIns() {
    List<Case> out = new ArrayList<>();
    for (Granularity g : Granularity.values()) {
      out.add(
          new Case("twn 0.7 " + g, new TwnQuantizer(), new TwnQuantizer.Config(0.7, g, List.of())));
      out.add(
          new Case(
              "twn optimal " + g,
              new TwnQuantizer(),
              new TwnQuantizer.Config("optimal", g, List.of())));
      out.add(
          new Case("ttq " + g, new TtqQuantizer(), new TtqQuantizer.Config(null, g, List.of())));
      out.add(
          new Case("binary " + g, new BinaryQuantizer(), new BinaryQuantizer.Config(g, List.of())));
      for (int k = 2; k <= 8; k++) {
        out.add(
            new Case(
                "uniform " + k + " " + g,
                new UniformQuantizer(),
                new UniformQuantizer.Config(k, g, List.of())));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record> QuantizationSummary quantize(
      KernelQuantizer<C> q, Record config, List<QuantizableLayer> layers) {
    return q.quantize((C) config, layers);
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record> Optional<PackedTensor> pack(
      KernelQuantizer<C> q, Record config, QuantizableLayer layer) {
    return q.pack((C) config, layer);
  }

  /** Quantizes every layer, packs each into a file and reads it back: the values the model got. */
  private static void assertPacksToWhatItSet(Case c, List<QuantizableLayer> layers) {
    quantize(c.quantizer(), c.config(), layers);
    List<PackedTensor> packed = new ArrayList<>();
    for (QuantizableLayer l : layers) {
      packed.add(pack(c.quantizer(), c.config(), l).orElseThrow());
    }
    List<PackedTensor> back = Packing.decode(Packing.encode(packed));
    for (int i = 0; i < layers.size(); i++) {
      assertArrayEquals(
          bits(layers.get(i).weight().getArray().toFloatArray()),
          bits(back.get(i).values()),
          c.name() + " " + layers.get(i).info().name());
      assertEquals(c.quantizer().id(), back.get(i).label());
    }
  }

  @Test
  void everyBuiltInQuantizerPacksToTheValuesItSetBitForBit() {
    List<Case> cases = builtIns();
    assertEquals(2 * (4 + 7), cases.size());
    for (Case c : cases) {
      QuantizerPluginsTest.withModel(
          Layers.plain(),
          layers -> {
            assertPacksToWhatItSet(c, layers);
            return null;
          });
    }
  }

  @Test
  void ttqWithItsTrainedScalesPacksToTheValuesItSet() {
    for (Granularity g : Granularity.values()) {
      TtqQuantizer ttq = new TtqQuantizer();
      TtqQuantizer.Config config = new TtqQuantizer.Config(0.1, g, List.of());
      QuantizerPluginsTest.withModel(
          Layers.withHook(ttq.trainingHook(config).orElseThrow()),
          layers -> {
            // move the scales off their fitted start, as training does: Wn negative, Wp zero
            NDManager m = layers.get(0).weight().getArray().getManager();
            for (QuantizableLayer l : layers) {
              TtqTransform t = (TtqTransform) l.transform().orElseThrow();
              t.positiveScale()
                  .getArray()
                  .set(new float[(int) t.positiveScale().getArray().size()]);
              Parameter wn = t.negativeScale();
              wn.getArray().set(m.full(wn.getArray().getShape(), -0.25f).toFloatArray());
            }
            assertPacksToWhatItSet(new Case("trained ttq " + g, ttq, config), layers);
            return null;
          });
    }
  }

  /**
   * A 2-bit codebook quantizer written as a third party would: four levels at -3/2, -1/2, 1/2 and
   * 3/2 times mean|w| (a learned codebook would do as well), nearest level wins.
   */
  static final class TwoBitCodebook extends KernelQuantizer<TwoBitCodebook.Config> {
    record Config(List<String> skip) {}

    @Override
    public String id() {
      return "two-bit-codebook";
    }

    @Override
    public String description() {
      return "four levels at +-1/2 and +-3/2 mean|w|";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    protected SkipRule skip(Config config) {
      return new SkipRule(config.skip());
    }

    @Override
    protected Quantized quantize(Config config, float[] w, int channels) {
      double sum = 0;
      for (float v : w) {
        sum += Math.abs(v);
      }
      float a = (float) (sum / w.length);
      float[] book = {-1.5f * a, -0.5f * a, 0.5f * a, 1.5f * a};
      byte[] codes = new byte[w.length];
      for (int i = 0; i < w.length; i++) {
        codes[i] = (byte) (w[i] < -a ? 0 : w[i] < 0 ? 1 : w[i] < a ? 2 : 3);
      }
      return Quantized.of(codes, Decoding.codebook(book));
    }
  }

  @Test
  void aThirdPartyCodebookQuantizerPacksAndItsFileLoadsThroughTheFramework() {
    TwoBitCodebook q = new TwoBitCodebook();
    TwoBitCodebook.Config config = new TwoBitCodebook.Config(List.of("input"));
    Path file = dir.resolve("two-bit.qrbq");
    float[][] expected =
        withBlock(
            (block, manager, layers) -> {
              QuantizationSummary s = q.quantize(config, layers);
              assertEquals(
                  List.of(false, true, true, true),
                  s.layers().stream().map(QuantizationSummary.Layer::quantized).toList());
              Map<Parameter, PackedTensor> packed = new IdentityHashMap<>();
              for (QuantizableLayer l : layers) {
                q.pack(config, l).ifPresent(t -> packed.put(l.weight(), t));
              }
              assertEquals(3, packed.size());
              for (PackedTensor t : packed.values()) {
                assertEquals(4, t.decoding().levels());
                assertEquals(4, t.decoding().codebook().length);
              }
              Parameter body1 = layers.get(1).weight();
              assertTrue(
                  packed.get(body1).dataBytes() * 8 < body1.getArray().size() * 3,
                  "about 2 bits per weight");
              try {
                PackedWeights.save(block, packed, List.of(), metadata(), file);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return layers.stream()
                  .map(l -> l.weight().getArray().toFloatArray())
                  .toArray(float[][]::new);
            });
    withBlock(
        (block, manager, layers) -> {
          assertFalse(
              java.util.Arrays.equals(
                  bits(expected[1]), bits(layers.get(1).weight().getArray().toFloatArray())),
              "a fresh model starts elsewhere");
          WeightsFile.load(block, manager, file);
          for (int i = 0; i < layers.size(); i++) {
            assertArrayEquals(
                bits(expected[i]),
                bits(layers.get(i).weight().getArray().toFloatArray()),
                layers.get(i).info().name());
          }
          return null;
        });
  }

  private interface ModelBody<T> {
    T apply(Block block, NDManager manager, List<QuantizableLayer> layers);
  }

  /** {@link QuantizerPluginsTest#model}, initialised, with its block and manager at hand. */
  private static <T> T withBlock(ModelBody<T> body) {
    Layers layers = Layers.plain();
    try (Model m = Model.newInstance("q")) {
      Block b = QuantizerPluginsTest.model(layers);
      m.setBlock(b);
      b.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 8, 8));
      return body.apply(b, m.getNDManager(), layers.quantizable());
    }
  }

  private static WeightsMetadata metadata() {
    return new WeightsMetadata(
        "test-cnn",
        Map.of(),
        "two-bit-codebook",
        Map.of(),
        "synthetic",
        List.of(3, 8, 8),
        10,
        null,
        null,
        0,
        1,
        "test",
        "2026-01-01T00:00:00Z",
        null,
        "a third-party quantizer");
  }
}
