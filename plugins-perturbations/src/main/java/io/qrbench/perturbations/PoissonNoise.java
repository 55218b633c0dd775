package io.qrbench.perturbations;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signal-dependent (shot) noise with scikit-image's {@code random_noise(mode='poisson')} semantics:
 * Poisson(x * v) / v, clipped to [0,1], where v = 2^ceil(log2(number of distinct values)) of each
 * image on its own (256 for an 8-bit image in which all values occur, 128 for one with 65..128
 * distinct values: so the noise level varies from image to image, as with scikit-image applied
 * image by image). {@code scale} replaces v by a fixed number. With {@code severity}, CIFAR-10-C's
 * "shot noise" (Hendrycks &amp; Dietterich 2019): Poisson(x * c) / c, c = 500, 250, 100, 75, 50.
 *
 * <p>On [0,1] images scikit-image's shift for images with negative values (which rescales them into
 * [0,1] first) never applies; on an image whose low clip is -1 (perturbed in another space, {@code
 * space: normalised}) it does, as in scikit-image. Each image draws from its own seeded generator,
 * in (C, H, W) order.
 *
 * <p>Sampling is exact and depends only on the value and v, never on the batch: a value that is
 * exactly k/255 with mean x * v up to {@link PoissonTable#MAX_LAMBDA} is drawn from an alias table
 * of that mean (the 255 tables of a scale are built on its first use and kept for later batches, so
 * 8-bit images cost some 20 ns a value); any other value by {@link PoissonSampler} (inversion below
 * mean 10, PTRS above).
 */
public final class PoissonNoise implements Perturbation<PoissonNoise.Config> {
  /**
   * Scales whose tables are kept across batches (at most 256 tables of under 2,000 slots each per
   * scale); the scikit rule and the severities use a handful.
   */
  private static final int CACHED_SCALES = 16;

  /** The tables of each scale v, indexed by 8-bit level k; immutable once shared. */
  private final Map<Double, PoissonTable[]> tableCache = new ConcurrentHashMap<>();

  /**
   * The noise. With {@code severity} given, {@code scale} stays null.
   *
   * @param scale v in Poisson(x * v) / v for every image, or null for scikit-image's per-image rule
   * @param severity CIFAR-10-C level 1..5 instead of scale, or null
   * @param quantizeToUint8 round the output to k/255, as a dataset stored as 8-bit images
   */
  public record Config(
      @JsonPropertyDescription(
              "v in Poisson(x*v)/v; default: scikit-image's 2^ceil(log2(distinct values)) per image")
          @Bound(min = 0, minExclusive = true, max = 1e6, why = "CIFAR-10-C uses 50 to 500")
          Double scale,
      @JsonPropertyDescription(
              "CIFAR-10-C shot-noise severity 1..5 (v = 500, 250, 100, 75, 50) instead of scale")
          @Bound(min = 1, max = 5)
          Integer severity,
      @JsonPropertyDescription(
              "round the output to k/255 (half to even), like images stored as 8 bits")
          Boolean quantizeToUint8) {
    public Config {
      Cifar10C.check("poisson", severity, "scale", scale);
      if (scale != null && !(scale > 0 && scale < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("scale must be a finite number > 0, was " + scale);
      }
      quantizeToUint8 = quantizeToUint8 != null && quantizeToUint8;
    }

    /** The fixed v, or NaN when each image's v follows scikit-image's rule. */
    double fixedScale() {
      if (severity != null) {
        return Cifar10C.constant(Cifar10C.SHOT_SCALE, severity);
      }
      return scale == null ? Double.NaN : scale;
    }
  }

  @Override
  public String id() {
    return "poisson";
  }

  @Override
  public String description() {
    return "shot noise, scikit-image semantics: Poisson(x*v)/v, v = 2^ceil(log2(distinct values)) per image"
        + " or scale; or CIFAR-10-C shot severity 1..5";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NoiseBatch b = new NoiseBatch(ctx);
    float[] p = b.pixels;
    double fixed = config.fixedScale();
    DistinctValues distinct = Double.isNaN(fixed) ? new DistinctValues() : null;
    for (int i = 0; i < b.images; i++) {
      int from = b.start(i);
      int to = from + b.perImage;
      double v = distinct == null ? fixed : scikitScale(distinct.count(p, from, to));
      PoissonTable[] tables = tables(v);
      SplittableRandom r = ctx.random(i);
      if (ctx.clipLow(i) < 0f) {
        signed(p, from, to, v, r);
        continue;
      }
      for (int j = from; j < to; j++) {
        float x = p[j];
        int k = NoiseBatch.uint8Level(x);
        PoissonTable t = k > 0 ? tables[k] : null;
        p[j] = t != null ? t.sample(r.nextDouble()) : (float) (PoissonSampler.sample(r, x * v) / v);
      }
    }
    return b.finish(config.quantizeToUint8());
  }

  /**
   * scikit-image's Poisson noise of an image with negative values (one perturbed in another space,
   * whose low clip is -1): shifted to (x + 1) / (max + 1), drawn, and shifted back. Values below -1
   * would give a negative mean, which numpy refuses; they count as mean 0 here (so draw 0 and come
   * back as -1, the low clip).
   */
  private static void signed(float[] p, int from, int to, double v, SplittableRandom r) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = from; j < to; j++) {
      max = Math.max(max, p[j]);
    }
    double span = max + 1;
    for (int j = from; j < to; j++) {
      double shifted = Math.max(0, (p[j] + 1.0) / span);
      p[j] = (float) (PoissonSampler.sample(r, shifted * v) / v * span - 1.0);
    }
  }

  /**
   * The tables of scale v by 8-bit level k (null where k/255 * v is above the tables' limit, and
   * for k = 0, whose mean 0 gives 0 without a draw), built whole before they are shared.
   */
  private PoissonTable[] tables(double v) {
    PoissonTable[] t = tableCache.get(v);
    if (t != null) {
      return t;
    }
    return tableCache.size() < CACHED_SCALES
        ? tableCache.computeIfAbsent(v, PoissonNoise::build)
        : build(v);
  }

  private static PoissonTable[] build(double v) {
    PoissonTable[] t = new PoissonTable[256];
    for (int k = 1; k < 256; k++) {
      double lambda = NoiseBatch.uint8Value(k) * v;
      t[k] = lambda <= PoissonTable.MAX_LAMBDA ? PoissonTable.of(lambda, v) : null;
    }
    return t;
  }

  /** 2^ceil(log2(distinct)), in integers; 1 for a constant image, as in scikit-image. */
  static double scikitScale(int distinct) {
    return distinct <= 1 ? 1 : (double) (Long.highestOneBit(distinct - 1L) << 1);
  }
}
