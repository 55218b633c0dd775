package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.qrbench.spi.PerturbationContext;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** The pieces iterative attacks share: steps, projections and random starts, per image. */
final class Steps {
  private Steps() {}

  /** The most steps an attack may take. */
  static final int MAX_STEPS = 100_000;

  static final String WHY = "each step is a forward and a backward pass over every image";

  /**
   * A config's {@code norm}, lower-cased: linf or l2, {@code fallback} when the suite left it out.
   */
  static String norm(String norm, String fallback) {
    String n = norm == null ? fallback : norm.toLowerCase(java.util.Locale.ROOT);
    if (!n.equals("linf") && !n.equals("l2")) {
      throw new IllegalArgumentException("norm must be linf or l2, was '" + norm + "'");
    }
    return n;
  }

  /**
   * A config's {@code epsilon} for a ball of {@code norm} (already checked): the usual default when
   * left out (8/255 for linf, 0.5 for l2), a finite number >= 0, and at most 1 for linf.
   */
  static double epsilon(Double epsilon, String norm) {
    double e = epsilon == null ? (norm.equals("linf") ? 8 / 255.0 : 0.5) : epsilon;
    checkEpsilon(e);
    if (norm.equals("linf") && e > 1) {
      throw new IllegalArgumentException(
          "epsilon of an linf ball must be at most 1, the whole pixel range, was " + e);
    }
    return e;
  }

  static void checkEpsilon(double epsilon) {
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be a finite number >= 0, was " + epsilon);
    }
  }

  /**
   * Per image, gradient components at most this fraction of the image's largest one count as zero.
   * The float32 backward pass's rounding error is a few ulps of the largest component (measured
   * against a float64 copy of the model: 1.8e-7 of it on a small CNN, 3.5e-7 on ResNet-20, in the
   * median image), so below 1e-5, some 80 ulps, a component's sign is rounding noise that another
   * summation order (another thread count or machine) may flip, moving a pixel by a whole step.
   * Such components are rare (0.006% and 0.016% on those models) and their share of the loss's
   * first-order change is below 1e-5 of the largest one's each.
   */
  static final float ZERO_TOLERANCE = 1e-5f;

  /** An L-infinity step: x + step * sign(g), with {@link #sign} ignoring rounding noise. */
  static NDArray linfStep(NDArray x, NDArray g, float step) {
    try (NDScope scope = new NDScope()) {
      NDArray out = x.add(signAboveNoise(g).mul(step));
      NDScope.unregister(out);
      return out;
    }
  }

  /**
   * An L-infinity step of a size of each image's own: x + step_i * sign(g_i), {@code steps} shaped
   * (N, 1, 1, ...) ({@link #column}).
   */
  static NDArray linfStep(NDArray x, NDArray g, NDArray steps) {
    try (NDScope scope = new NDScope()) {
      NDArray out = x.add(signAboveNoise(g).mul(steps));
      NDScope.unregister(out);
      return out;
    }
  }

  /**
   * sign(g), image by image, with components of at most {@link #ZERO_TOLERANCE} times the image's
   * largest |g| taken as zero (an all-zero gradient stays zero).
   */
  static NDArray sign(NDArray g) {
    try (NDScope scope = new NDScope()) {
      NDArray out = signAboveNoise(g);
      NDScope.unregister(out);
      return out;
    }
  }

  /** {@link #sign} without a scope of its own (a nested scope would not free its result). */
  private static NDArray signAboveNoise(NDArray g) {
    return g.sign().mul(aboveNoise(g).toType(g.getDataType(), false));
  }

  /** True where |g| exceeds {@link #ZERO_TOLERANCE} times the largest |g| of its image. */
  private static NDArray aboveNoise(NDArray g) {
    NDArray abs = g.abs();
    long n = g.getShape().get(0);
    NDArray max = abs.reshape(n, -1).max(new int[] {1}).reshape(column(g.getShape()));
    return abs.gt(max.mul(ZERO_TOLERANCE));
  }

  /**
   * An L2 step: x + step * g / ||g||_2, each image on its own, components within the rounding noise
   * of {@link #sign} dropped first (a zero gradient gives no step).
   */
  static NDArray l2Step(NDArray x, NDArray g, float step) {
    try (NDScope scope = new NDScope()) {
      NDArray kept = g.mul(aboveNoise(g).toType(g.getDataType(), false));
      NDArray norm = perImageNorm(kept).maximum(1e-12f);
      NDArray out = x.add(kept.div(norm).mul(step));
      NDScope.unregister(out);
      return out;
    }
  }

  /** An L2 step of a size of each image's own, {@code steps} shaped (N, 1, 1, ...). */
  static NDArray l2Step(NDArray x, NDArray g, NDArray steps) {
    try (NDScope scope = new NDScope()) {
      NDArray kept = g.mul(aboveNoise(g).toType(g.getDataType(), false));
      NDArray norm = perImageNorm(kept).maximum(1e-12f);
      NDArray out = x.add(kept.div(norm).mul(steps));
      NDScope.unregister(out);
      return out;
    }
  }

  /** [0,1] for [0,1] images. */
  private static final float[] UNIT = {0f, 1f};

  /**
   * The batch's valid range [low, high]: the widest of its images' ({@link
   * PerturbationContext#clipLow}), [0,1] for [0,1] images; another for an attack a suite runs in
   * another space or with {@code clip:}.
   */
  static float[] range(PerturbationContext ctx) {
    float low = Float.POSITIVE_INFINITY;
    float high = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < ctx.batchSize(); i++) {
      low = Math.min(low, ctx.clipLow(i));
      high = Math.max(high, ctx.clipHigh(i));
    }
    return low <= high ? new float[] {low, high} : UNIT.clone();
  }

  /** Projects x onto the L-infinity ball of radius eps around x0, then onto [0,1]. */
  static NDArray projectLinf(NDArray x, NDArray x0, float eps) {
    return projectLinf(x, x0, eps, UNIT);
  }

  /**
   * Projects x onto the L-infinity ball of radius eps around x0, then onto [range[0], range[1]].
   */
  static NDArray projectLinf(NDArray x, NDArray x0, float eps, float[] range) {
    return x.sub(x0).clip(-eps, eps).add(x0).clip(range[0], range[1]);
  }

  /** Projects x onto the L2 ball of radius eps around x0 (per image), then onto [0,1]. */
  static NDArray projectL2(NDArray x, NDArray x0, float eps) {
    return projectL2(x, x0, eps, UNIT);
  }

  /** {@link #projectL2}, then onto [range[0], range[1]]. */
  static NDArray projectL2(NDArray x, NDArray x0, float eps, float[] range) {
    NDArray d = x.sub(x0);
    NDArray norm = perImageNorm(d);
    NDArray factor = norm.maximum(eps).pow(-1f).mul(eps); // min(1, eps / ||d||)
    return x0.add(d.mul(factor)).clip(range[0], range[1]);
  }

  /** ||v||_2 of each image, shaped (N, 1, 1, 1) to broadcast. */
  static NDArray perImageNorm(NDArray v) {
    // summed in Java, in double and in index order: a native reduction's order (vector width,
    // alignment of the buffer) may change its last bits from one call to the next, and L2 steps
    // divide by this, so every later step would inherit the difference
    int n = Math.toIntExact(v.getShape().get(0));
    float[] values = v.toFloatArray();
    int per = values.length / Math.max(n, 1);
    float[] norms = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = i * per, end = j + per; j < end; j++) {
        sum += (double) values[j] * values[j];
      }
      norms[i] = (float) Math.sqrt(sum);
    }
    return v.getManager().create(norms, column(v.getShape()));
  }

  /** (N, 1, 1, ...) for an array shaped {@code like}: one value per image that broadcasts. */
  static Shape column(Shape like) {
    long[] dims = new long[like.dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = like.get(0);
    return new Shape(dims);
  }

  /**
   * A uniform random start in the ball of radius eps, drawn from each image's own generator (the
   * {@code restart}-th draw of it): a cube for L-infinity, the L2 ball otherwise.
   */
  static NDArray randomStart(PerturbationContext ctx, float eps, boolean linf, int restart) {
    NDArray x = ctx.images();
    int n = ctx.batchSize();
    int per = Math.toIntExact(x.getShape().size() / n);
    float[] d = new float[n * per];
    for (int i = 0; i < n; i++) {
      SplittableRandom r = ctx.random(i);
      for (int skip = 0; skip < restart; skip++) {
        r = r.split();
      }
      if (linf) {
        for (int j = 0; j < per; j++) {
          d[i * per + j] = (float) ((2 * r.nextDouble() - 1) * eps);
        }
      } else {
        double norm = 0;
        for (int j = 0; j < per; j++) {
          double v = r.nextGaussian();
          d[i * per + j] = (float) v;
          norm += v * v;
        }
        double radius = eps * Math.pow(r.nextDouble(), 1.0 / per) / Math.sqrt(norm);
        for (int j = 0; j < per; j++) {
          d[i * per + j] *= (float) radius;
        }
      }
    }
    float[] range = range(ctx);
    return x.add(ctx.manager().create(FloatBuffer.wrap(d), x.getShape())).clip(range[0], range[1]);
  }
}
