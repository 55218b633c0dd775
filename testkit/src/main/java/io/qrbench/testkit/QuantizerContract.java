package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.nn.Layers;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.Quantizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Quantizer} promises, as JUnit 5 tests: extend this class, name the quantizer
 * and its configurations, and each test runs against a seeded {@link TestNetwork} for each
 * configuration.
 *
 * <p>The promises are those a benchmark's numbers rest on: the packed form decodes to exactly the
 * kernel that was evaluated (so a packed file reproduces the results), layers the configuration
 * keeps in full precision and every parameter that is not a kernel are left bit for bit, the
 * summary describes what was done, and the same weights always quantize the same way.
 *
 * @param <C> the quantizer's configuration record
 */
public abstract class QuantizerContract<C extends Record> {

  /** The quantizer under test (a new instance, as the registry would make). */
  protected abstract Quantizer<C> quantizer();

  /**
   * The configurations to test (per layer and per channel, say). Each must keep at least one layer
   * of the {@link TestNetwork} (stem: input, conv1 and conv2: hidden, fc: output) in full
   * precision, unless {@link #skipsSomeLayer()} says otherwise.
   */
  protected abstract List<C> configs();

  /** Whether each configuration quantizes some layer (false for full precision). */
  protected boolean quantizesSomeLayer() {
    return true;
  }

  /**
   * Whether each configuration keeps some layer in full precision (the usual input and output
   * rule).
   */
  protected boolean skipsSomeLayer() {
    return true;
  }

  /**
   * Whether quantizing an already quantized kernel leaves it as it is (up to {@link
   * #idempotenceTolerance()}): true for schemes whose scales are recomputed from the levels
   * (ternary, binary, uniform); false for those that are not.
   */
  protected boolean idempotent() {
    return true;
  }

  /**
   * The largest change, relative to a layer's largest |weight|, that quantizing twice may make: the
   * second pass recomputes the scales (a mean, a maximum over a step) in floating point.
   */
  protected double idempotenceTolerance() {
    return 1e-6;
  }

  /** A fresh network with the given seed; its layers are plain (post-training quantization). */
  protected TestNetwork network(long seed) {
    return new TestNetwork(Layers.plain(), seed);
  }

  @Test
  public void isAWellFormedPlugin() {
    assertTrue(!configs().isEmpty(), "configs() names at least one configuration");
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      PluginChecks.assertWellFormed(quantizer, config);
    }
  }

  @Test
  public void theSummaryDescribesEveryLayerInOrder() {
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      try (TestNetwork net = network(1)) {
        List<QuantizableLayer> layers = net.quantizable();
        QuantizationSummary summary = quantizer.quantize(config, layers);
        assertNotNull(summary, "quantize() returned null");
        assertEquals(
            layers.size(), summary.layers().size(), config + ": one summary entry per layer");
        int quantized = 0;
        for (int i = 0; i < layers.size(); i++) {
          QuantizableLayer layer = layers.get(i);
          QuantizationSummary.Layer s = summary.layers().get(i);
          String name = layer.info().name();
          float[] w = layer.weight().getArray().toFloatArray();
          assertEquals(name, s.name(), config + ": entry " + i + " names its layer");
          assertEquals(w.length, s.parameters(), name + ": parameters");
          long zeros = 0;
          for (float v : w) {
            zeros += v == 0f ? 1 : 0;
          }
          assertEquals(
              (double) zeros / w.length,
              s.zeroFraction(),
              1e-12,
              name + ": zero fraction of the result");
          assertTrue(
              s.bitsPerWeight() > 0 && s.bitsPerWeight() <= 32,
              name + ": bits per weight " + s.bitsPerWeight());
          long channels = layer.weight().getArray().getShape().get(0);
          // codes take at most 32 bits each; scales, zero points or a small codebook a few per
          // channel
          assertTrue(
              s.packedBytes() > 0 && s.packedBytes() <= 4L * w.length + 16L * channels + 1024,
              name + ": packed bytes " + s.packedBytes());
          assertTrue(
              s.relativeError() >= 0 && Double.isFinite(s.relativeError()),
              name + ": relative error");
          if (!s.quantized()) {
            assertEquals(
                32, s.bitsPerWeight(), name + ": a layer kept in full precision takes 32 bits");
            assertEquals(
                0, s.relativeError(), name + ": a layer kept in full precision has no error");
            assertEquals(
                4L * w.length,
                s.packedBytes(),
                name + ": a layer kept in full precision takes 4 bytes a weight");
          }
          quantized += s.quantized() ? 1 : 0;
        }
        if (quantizesSomeLayer()) {
          assertTrue(
              quantized > 0, config + " quantizes some layer (or override quantizesSomeLayer())");
        }
        if (skipsSomeLayer()) {
          assertTrue(
              quantized < layers.size(),
              config
                  + " keeps some layer in full precision, so that the test"
                  + " of skipped layers tests something (or override skipsSomeLayer())");
        }
      }
    }
  }

  @Test
  public void packThenDecodeEqualsQuantize() {
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      try (TestNetwork net = network(2)) {
        List<QuantizableLayer> layers = net.quantizable();
        QuantizationSummary summary = quantizer.quantize(config, layers);
        for (int i = 0; i < layers.size(); i++) {
          PackedFormatCheck.assertPackDecodesToTheKernel(
              quantizer, config, layers.get(i), summary.layers().get(i).quantized());
        }
      }
    }
  }

  @Test
  public void skippedLayersAndNonKernelsAreUntouched() {
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      try (TestNetwork net = network(3)) {
        Map<String, float[]> before = net.snapshot();
        List<QuantizableLayer> layers = net.quantizable();
        QuantizationSummary summary = quantizer.quantize(config, layers);
        Map<String, float[]> after = net.snapshot();
        java.util.Set<String> mayChange = new java.util.HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
          if (summary.layers().get(i).quantized()) {
            mayChange.add(net.parameterName(layers.get(i)));
          }
        }
        for (Map.Entry<String, float[]> e : before.entrySet()) {
          if (!mayChange.contains(e.getKey())) {
            assertBitsEqual(
                e.getValue(),
                after.get(e.getKey()),
                config
                    + ": "
                    + e.getKey()
                    + " is not quantized (a skipped layer's kernel, a bias), so it is left as it was");
          }
        }
      }
    }
  }

  @Test
  public void quantizingTwiceChangesNothingMore() {
    if (!idempotent()) {
      return;
    }
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      try (TestNetwork net = network(4)) {
        List<QuantizableLayer> layers = net.quantizable();
        quantizer.quantize(config, layers);
        Map<String, float[]> once = net.snapshot();
        quantizer.quantize(config, layers);
        Map<String, float[]> twice = net.snapshot();
        for (Map.Entry<String, float[]> e : once.entrySet()) {
          float[] a = e.getValue();
          float[] b = twice.get(e.getKey());
          double max = 0;
          for (float v : a) {
            max = Math.max(max, Math.abs(v));
          }
          for (int j = 0; j < a.length; j++) {
            if (Math.abs(a[j] - b[j]) > idempotenceTolerance() * max) {
              fail(
                  config
                      + ": "
                      + e.getKey()
                      + " weight "
                      + j
                      + " was "
                      + a[j]
                      + " after one pass and "
                      + b[j]
                      + " after two (or override idempotent())");
            }
          }
        }
      }
    }
  }

  @Test
  public void theSameWeightsQuantizeTheSameWay() {
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      try (TestNetwork a = network(5);
          TestNetwork b = network(5)) {
        QuantizationSummary sa = quantizer.quantize(config, a.quantizable());
        QuantizationSummary sb = quantizer.quantize(config, b.quantizable());
        assertEquals(sa, sb, config + ": the summaries of two identical networks");
        Map<String, float[]> wb = b.snapshot();
        a.snapshot()
            .forEach(
                (name, w) ->
                    assertBitsEqual(
                        w, wb.get(name), config + ": " + name + " of two identical networks"));
      }
    }
  }

  @Test
  public void aHookedLayerIsQuantizedToWhatItsTransformEvaluates() {
    Quantizer<C> quantizer = quantizer(); // one instance, as the registry keeps
    for (C config : configs()) {
      java.util.Optional<io.qrbench.nn.LayerHook> hook = quantizer.trainingHook(config);
      if (hook.isEmpty()) {
        continue; // trains in full precision: nothing to compare
      }
      try (TestNetwork net = new TestNetwork(Layers.withHook(hook.get()), 6)) {
        List<QuantizableLayer> layers = net.quantizable();
        hook.get().prepare(layers, net.manager());
        List<float[]> evaluated = new java.util.ArrayList<>();
        for (QuantizableLayer layer : layers) {
          evaluated.add(
              layer
                  .transform()
                  .map(t -> t.apply(layer.weight().getArray(), false).toFloatArray())
                  .orElse(null));
        }
        QuantizationSummary summary = quantizer.quantize(config, layers);
        for (int i = 0; i < layers.size(); i++) {
          String name = layers.get(i).info().name();
          boolean quantized = summary.layers().get(i).quantized();
          assertEquals(
              evaluated.get(i) != null,
              quantized,
              config
                  + ": "
                  + name
                  + " has a transform exactly when"
                  + " quantize() quantizes it (the hook and quantize() skip the same layers)");
          if (quantized) {
            assertBitsEqual(
                evaluated.get(i),
                layers.get(i).weight().getArray().toFloatArray(),
                config
                    + ": "
                    + name
                    + " after quantize(), against its transform's evaluation kernel (quantization-aware training must"
                    + " evaluate what post-training quantization stores)");
          }
        }
      }
    }
  }

  private static void assertBitsEqual(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int j = 0; j < expected.length; j++) {
      if (Float.floatToIntBits(expected[j]) != Float.floatToIntBits(actual[j])) {
        fail(what + ": value " + j + " is " + actual[j] + ", expected " + expected[j]);
      }
    }
  }
}
