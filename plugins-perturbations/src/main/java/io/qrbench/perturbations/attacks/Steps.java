package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
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

  static void checkEpsilon(double epsilon) {
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be a finite number >= 0, was " + epsilon);
    }
  }

  /** An L-infinity step: x + step * sign(g). */
  static NDArray linfStep(NDArray x, NDArray g, float step) {
    return x.add(g.sign().mul(step));
  }

  /** An L2 step: x + step * g / ||g||_2, each image on its own (a zero gradient gives no step). */
  static NDArray l2Step(NDArray x, NDArray g, float step) {
    NDArray norm = perImageNorm(g).maximum(1e-12f);
    return x.add(g.div(norm).mul(step));
  }

  /** Projects x onto the L-infinity ball of radius eps around x0, then onto [0,1]. */
  static NDArray projectLinf(NDArray x, NDArray x0, float eps) {
    return x.sub(x0).clip(-eps, eps).add(x0).clip(0f, 1f);
  }

  /** Projects x onto the L2 ball of radius eps around x0 (per image), then onto [0,1]. */
  static NDArray projectL2(NDArray x, NDArray x0, float eps) {
    NDArray d = x.sub(x0);
    NDArray norm = perImageNorm(d);
    NDArray factor = norm.maximum(eps).pow(-1f).mul(eps); // min(1, eps / ||d||)
    return x0.add(d.mul(factor)).clip(0f, 1f);
  }

  /** ||v||_2 of each image, shaped (N, 1, 1, 1) to broadcast. */
  static NDArray perImageNorm(NDArray v) {
    long n = v.getShape().get(0);
    NDArray flat = v.reshape(n, -1);
    long[] dims = new long[v.getShape().dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = n;
    return flat.square().sum(new int[] {1}).sqrt().reshape(new Shape(dims));
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
    return x.add(ctx.manager().create(FloatBuffer.wrap(d), x.getShape())).clip(0f, 1f);
  }
}
