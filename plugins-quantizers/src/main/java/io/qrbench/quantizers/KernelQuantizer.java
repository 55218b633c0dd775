package io.qrbench.quantizers;

import ai.djl.ndarray.NDArray;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.WeightTransform;
import io.qrbench.quant.PackedTensor;
import io.qrbench.quant.Quantized;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.Quantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared part of quantizers that map each kernel to a few levels with per-layer or
 * per-channel scales: post-training quantization in place, and a straight-through training hook
 * that computes with the same function.
 *
 * @param <C> the configuration record
 */
abstract class KernelQuantizer<C extends Record> implements Quantizer<C> {

  /** The quantized form of one kernel, {@code w} holding {@code channels} output channels. */
  abstract Quantized quantize(C config, float[] w, int channels);

  /** Which layers the configuration keeps in full precision. */
  abstract SkipRule skip(C config);

  /** The packed scheme of this quantizer's codes (see {@link PackedTensor}). */
  abstract String scheme();

  @Override
  public Optional<PackedTensor> pack(C config, QuantizableLayer layer) {
    if (skip(config).skips(layer.info())) {
      return Optional.empty();
    }
    NDArray array = layer.weight().getArray();
    Quantized q = quantize(config, layer, array.toFloatArray(), Math.toIntExact(array.getShape().get(0)));
    int[] shape = java.util.Arrays.stream(array.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    return Optional.of(PackedTensor.of(layer.info().name(), shape, scheme(), q));
  }

  /**
   * The quantized form of a layer's kernel. A layer built with this quantizer's hook is quantized
   * by its transform, which may hold trained state; others by {@link #quantize(Record, float[], int)}.
   */
  Quantized quantize(C config, QuantizableLayer layer, float[] w, int channels) {
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
        out.add(new QuantizationSummary.Layer(layer.info().name(), n, false, 32, (double) zeros / n, 0, 4 * n));
        continue;
      }
      int channels = Math.toIntExact(array.getShape().get(0));
      Quantized q = quantize(config, layer, w, channels);
      array.set(q.values());
      out.add(new QuantizationSummary.Layer(layer.info().name(), n, true, q.packedBitsPerWeight(),
          q.zeroFraction(), q.relativeError(w),
          io.qrbench.quant.Packing.packedBytes(n, q.levels(), q.scales().length)));
    }
    return new QuantizationSummary(out);
  }

  @Override
  public Optional<LayerHook> trainingHook(C config) {
    SkipRule skip = skip(config);
    return Optional.of(layer -> skip.skips(layer) ? Optional.empty() : Optional.of(straightThrough(config)));
  }

  /** Computes with Q(w) and passes the gradient to the latent w unchanged. */
  private WeightTransform straightThrough(C config) {
    return (latent, training) -> {
      float[] w = latent.toFloatArray();
      Quantized q = quantize(config, w, Math.toIntExact(latent.getShape().get(0)));
      NDArray hard = latent.getManager().create(q.values(), latent.getShape());
      return training ? WeightTransform.straightThrough(latent, hard) : hard;
    };
  }
}
