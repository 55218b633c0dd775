package io.qrbench.quantizers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.nn.WeightTransform;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.Quantizer;
import io.qrbench.spi.packed.PackedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The base of a quantizer that maps each kernel (convolution or dense weight) to codes: extend it,
 * give the quantized form of one kernel as {@link Quantized} (codes plus their {@link
 * io.qrbench.spi.packed.Decoding}), and it does the rest:
 *
 * <ul>
 *   <li>the per-layer loop of post-training quantization: every layer the {@link SkipRule} does not
 *       keep in full precision is quantized in place, and summarised (bits per weight, packed
 *       bytes, zeros, relative error);
 *   <li>packing: {@code qrbench quantize} stores each kernel's codes and decoding, and the file
 *       reads back bit for bit without qrbench knowing this quantizer;
 *   <li>quantization-aware training: a straight-through hook that computes with Q(w) and passes the
 *       gradient to the latent w unchanged (Bengio et al. 2013), using the same function.
 * </ul>
 *
 * <p>A kernel arrives as a row-major {@code float[] w} whose dimension 0, of size {@code channels},
 * is the output channel: channel {@code c} owns {@code [c*per, (c+1)*per)}, {@code per = w.length /
 * channels}. The README's "Writing a quantizer" shows a whole one.
 *
 * @param <C> the configuration record
 */
public abstract class KernelQuantizer<C extends Record> implements Quantizer<C> {

  /**
   * The quantized form of one kernel, {@code w} holding {@code channels} output channels. Must be
   * deterministic: training calls it at every step, and packing after quantizing.
   */
  protected abstract Quantized quantize(C config, float[] w, int channels);

  /** Which layers the configuration keeps in full precision; by default the first and the last. */
  protected SkipRule skip(C config) {
    return new SkipRule(SkipRule.DEFAULT);
  }

  /** The informative label of this quantizer's packed tensors; by default its id. */
  protected String label() {
    return id();
  }

  /**
   * The packed form of what {@link #quantize(Record, List)} set: the very codes and decoding it
   * computed, kept for as long as the layer's weights are still exactly those values. Re-quantizing
   * the quantized weights instead would be wrong for any quantizer whose Q(Q(w)) differs from Q(w)
   * (a scale fitted to the weights, such as mean|w|, changes when they are quantized), so that is
   * only the fallback for weights set some other way.
   */
  @Override
  public Optional<PackedTensor> pack(C config, QuantizableLayer layer) {
    if (skip(config).skips(layer.info())) {
      return Optional.empty();
    }
    NDArray array = layer.weight().getArray();
    float[] current = array.toFloatArray();
    Done done = lastQuantized.get(layer.weight());
    Quantized q =
        done != null && done.config().equals(config) && Arrays.equals(done.q().values(), current)
            ? done.q()
            : quantize(config, layer, current, Math.toIntExact(array.getShape().get(0)));
    int[] shape = Arrays.stream(array.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    return Optional.of(q.pack(layer.info().name(), shape, label()));
  }

  /** What quantizing a layer gave, under which configuration. */
  private record Done(Record config, Quantized q) {}

  /** The last quantization of each kernel, dropped with its parameter. */
  private final Map<Parameter, Done> lastQuantized =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The quantized form of a layer's kernel. A layer built with this quantizer's hook is quantized
   * by its transform, which may hold trained state; others by {@link #quantize(Record, float[],
   * int)}.
   */
  protected Quantized quantize(C config, QuantizableLayer layer, float[] w, int channels) {
    return quantize(config, w, channels);
  }

  @Override
  public QuantizationSummary quantize(C config, List<QuantizableLayer> layers) {
    SkipRule skip = skip(config);
    skip.check(layers);
    List<QuantizationSummary.Layer> out = new ArrayList<>();
    for (QuantizableLayer layer : layers) {
      NDArray array = layer.weight().getArray();
      float[] w = array.toFloatArray();
      long n = w.length;
      if (skip.skips(layer.info())) {
        long zeros = 0;
        for (float v : w) {
          zeros += v == 0 ? 1 : 0;
        }
        out.add(
            new QuantizationSummary.Layer(
                layer.info().name(), n, false, 32, (double) zeros / n, 0, 4 * n));
        continue;
      }
      int channels = Math.toIntExact(array.getShape().get(0));
      Quantized q = quantize(config, layer, w, channels);
      array.set(q.values());
      lastQuantized.put(layer.weight(), new Done(config, q));
      out.add(
          new QuantizationSummary.Layer(
              layer.info().name(),
              n,
              true,
              q.packedBitsPerWeight(),
              q.zeroFraction(),
              q.relativeError(w),
              q.packedBytes()));
    }
    return new QuantizationSummary(out);
  }

  @Override
  public Optional<LayerHook> trainingHook(C config) {
    SkipRule skip = skip(config);
    return Optional.of(
        layer -> skip.skips(layer) ? Optional.empty() : Optional.of(straightThrough(config)));
  }

  /** Computes with Q(w) and passes the gradient to the latent w unchanged. */
  protected WeightTransform straightThrough(C config) {
    return (latent, training) -> {
      float[] w = latent.toFloatArray();
      Quantized q = quantize(config, w, Math.toIntExact(latent.getShape().get(0)));
      NDArray hard = latent.getManager().create(q.values(), latent.getShape());
      return training ? WeightTransform.straightThrough(latent, hard) : hard;
    };
  }
}
