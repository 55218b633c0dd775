package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * The Square attack (Andriushchenko, Croce, Flammarion and Hein, ECCV 2020): a random search that
 * asks the model for its logits only, never for a gradient, so gradient masking cannot hide a model
 * from it. Each iteration changes one random square window of the current best image (L-infinity:
 * to a corner of the ball, one sign per channel; L2: a pseudo-Gaussian bump that moves mass from a
 * second window, keeping the perturbation on the sphere) and keeps the change if it lowers the
 * margin z_y - max_{j != y} z_j (in double precision, so confident models don't round it away). The
 * window's share of the image, p, starts at {@code p-init} and halves on the paper's schedule.
 *
 * <p>Every image draws its windows and signs from its own generator and is queried only while it is
 * still classified right, so the result does not depend on the batch. The case records {@code
 * fooled} and {@code queries}: the forward passes that included the image, the first one (on the
 * clean image, to skip those already wrong) counted, so the paper's count is one less.
 */
public final class Square implements Perturbation<Square.Config> {

  /**
   * @param norm linf or l2
   * @param epsilon the ball's radius (linf default 8/255; l2 default 0.5)
   * @param queries the budget of forward passes per image, the first on the clean image included
   * @param pInit the share of the image the first windows cover
   */
  public record Config(
      @JsonPropertyDescription("linf or l2") String norm,
      @JsonPropertyDescription("radius of the ball, [0,1] units (linf: 8/255, l2: 0.5)")
          @Bound(
              min = 0,
              max = 64,
              why =
                  "pixel units: linf at most 1, the whole pixel range; l2 at most 64"
                      + " (a 3x32x32 image's diagonal is 55)")
          Double epsilon,
      @JsonPropertyDescription(
              "forward passes per image at most, the one on the clean image included")
          @Bound(
              min = 2,
              max = 1_000_000,
              why = "each query is a forward pass over every image not yet fooled")
          Integer queries,
      @JsonPropertyDescription("share of the image the first square windows cover (the paper's p)")
          @Bound(min = 0, minExclusive = true, max = 1)
          Double pInit) {
    public Config {
      norm = Steps.norm(norm, "linf");
      epsilon = Steps.epsilon(epsilon, norm);
      queries = queries == null ? 5000 : queries;
      pInit = pInit == null ? 0.8 : pInit;
      if (queries < 2 || !(pInit > 0 && pInit <= 1)) {
        throw new IllegalArgumentException("queries must be at least 2 and p-init in (0, 1]");
      }
    }

    boolean linf() {
      return norm.equals("linf");
    }
  }

  @Override
  public String id() {
    return "square";
  }

  @Override
  public String description() {
    return "Square attack: score-based random search, L-infinity or L2, no gradients (Andriushchenko et al.)";
  }

  /** Black-box: it asks the model for logits only, so it runs on a deployed model too. */
  @Override
  public boolean usesGradients(Config config) {
    return false;
  }

  /** Its query budget: a forward pass each (broken images stop early). */
  @Override
  public double passesPerImage(Config config) {
    return config.queries();
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NDArray images = ctx.images();
    Shape shape = images.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException("square needs (N, C, H, W) images, got " + shape);
    }
    Search s = new Search(ctx, config);
    s.run();
    ctx.record("fooled", s.fooledRecord());
    ctx.record("queries", s.queries);
    return ctx.manager().create(FloatBuffer.wrap(s.best), shape);
  }

  /**
   * The paper's schedule for p: halved after 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 of
   * 10,000 iterations, those points scaled to the budget as the authors' code does.
   */
  static double p(double pInit, int iteration, int budget) {
    int it = (int) ((double) iteration / budget * 10000);
    int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
    int halvings = 0;
    for (int b : bounds) {
      if (it > b) {
        halvings++;
      }
    }
    return pInit / (1 << halvings);
  }

  /** One batch's search: images as flat float arrays, one generator per image. */
  private static final class Search {
    private final PerturbationContext ctx;
    private final Config config;
    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private final int per;
    private final float eps;
    private final float[] x0;
    final float[] best;
    private final double[] margin;
    private final boolean[] fooled;
    final float[] queries;
    private final SplittableRandom[] random;
    private final int[] labels;

    Search(PerturbationContext ctx, Config config) {
      this.ctx = ctx;
      this.config = config;
      Shape shape = ctx.images().getShape();
      n = Math.toIntExact(shape.get(0));
      c = Math.toIntExact(shape.get(1));
      h = Math.toIntExact(shape.get(2));
      w = Math.toIntExact(shape.get(3));
      per = c * h * w;
      eps = config.epsilon().floatValue();
      x0 = ctx.images().toFloatArray();
      best = x0.clone();
      margin = new double[n];
      fooled = new boolean[n];
      queries = new float[n];
      labels = ctx.labels().toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
      random = new SplittableRandom[n];
      for (int i = 0; i < n; i++) {
        random[i] = ctx.random(i);
      }
    }

    void run() {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      query(all, x0, true);
      if (eps == 0) {
        return;
      }
      int[] active = active();
      float[] start = new float[active.length * per];
      for (int a = 0; a < active.length; a++) {
        float[] d = config.linf() ? linfInit(active[a]) : l2Init(active[a]);
        System.arraycopy(d, 0, start, a * per, per);
      }
      query(active, start, true);
      int budget = config.queries();
      for (int it = 0; it < budget - 2; it++) {
        active = active();
        if (active.length == 0) {
          return;
        }
        double p = p(config.pInit(), it, budget);
        float[] candidates = new float[active.length * per];
        for (int a = 0; a < active.length; a++) {
          float[] d = config.linf() ? linfProposal(active[a], p) : l2Proposal(active[a], p);
          System.arraycopy(d, 0, candidates, a * per, per);
        }
        query(active, candidates, false);
      }
    }

    /** Images still classified right, in batch order. */
    private int[] active() {
      return java.util.stream.IntStream.range(0, n).filter(i -> !fooled[i]).toArray();
    }

    /**
     * One forward pass over {@code images} (flat, one per index in {@code which}); each image keeps
     * its candidate if it lowers the margin, or always when {@code accept}.
     */
    private void query(int[] which, float[] images, boolean accept) {
      float[] z;
      int k;
      try (NDManager sub = ctx.manager().newSubManager()) {
        NDArray x = sub.create(FloatBuffer.wrap(images), new Shape(which.length, c, h, w));
        NDArray logits = ctx.model().logits(x);
        k = Math.toIntExact(logits.getShape().get(1));
        z = logits.toFloatArray();
      }
      for (int a = 0; a < which.length; a++) {
        int i = which[a];
        queries[i]++;
        int y = labels[i];
        double other = Double.NEGATIVE_INFINITY;
        int top = 0;
        for (int j = 0; j < k; j++) {
          if (j != y) {
            other = Math.max(other, z[a * k + j]);
          }
          if (z[a * k + j] > z[a * k + top]) {
            top = j;
          }
        }
        double m = (double) z[a * k + y] - other;
        if (accept || m < margin[i]) {
          margin[i] = m;
          System.arraycopy(images, a * per, best, i * per, per);
          fooled[i] = top != y; // the first largest logit, as the evaluation's arg max picks it
        }
      }
    }

    float[] fooledRecord() {
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = fooled[i] ? 1f : 0f;
      }
      return out;
    }

    /** x0 + sign eps, clipped, one ulp nearer x0 where float32 rounding stepped out of the ball. */
    private float corner(int i, int j, int sign) {
      float x = x0[i * per + j];
      float v = x + sign * eps;
      if (Math.abs((double) v - x) > eps) {
        v = Math.nextAfter(v, x);
      }
      return Math.min(1f, Math.max(0f, v));
    }

    /** Vertical stripes: one sign per channel and column, the corner of the ball it points at. */
    private float[] linfInit(int i) {
      float[] out = new float[per];
      SplittableRandom r = random[i];
      for (int ch = 0; ch < c; ch++) {
        for (int col = 0; col < w; col++) {
          int sign = r.nextBoolean() ? 1 : -1;
          for (int row = 0; row < h; row++) {
            int j = (ch * h + row) * w + col;
            out[j] = corner(i, j, sign);
          }
        }
      }
      return out;
    }

    /**
     * The best image with one s x s window set to a corner of the ball, one sign per channel, drawn
     * again while the window would not change (as the authors' code does).
     */
    private float[] linfProposal(int i, double p) {
      SplittableRandom r = random[i];
      int s = (int) Math.round(Math.sqrt(p * per / c));
      s = Math.min(Math.max(s, 1), Math.min(h, w) - 1);
      int top = r.nextInt(h - s + 1);
      int left = r.nextInt(w - s + 1);
      float[] out = new float[per];
      System.arraycopy(best, i * per, out, 0, per);
      for (int tries = 0; tries < 100; tries++) {
        boolean changed = false;
        for (int ch = 0; ch < c; ch++) {
          int sign = r.nextBoolean() ? 1 : -1;
          for (int row = top; row < top + s; row++) {
            for (int col = left; col < left + s; col++) {
              int j = (ch * h + row) * w + col;
              out[j] = corner(i, j, sign);
              changed |= Math.abs(out[j] - best[i * per + j]) >= 1e-7f;
            }
          }
        }
        if (changed) {
          break;
        }
      }
      return out;
    }

    /**
     * The paper's L2 start: a grid of pseudo-Gaussian bumps of side h/5, each with a random sign
     * per channel, scaled to the sphere of radius epsilon.
     */
    private float[] l2Init(int i) {
      SplittableRandom r = random[i];
      double[] d = new double[per];
      int s = Math.max(1, Math.min(h, w) / 5);
      int startH = (h - s * 5) / 2;
      int startW = (w - s * 5) / 2;
      for (int bh = 0; bh < h / s; bh++) {
        for (int bw = 0; bw < w / s; bw++) {
          double[][] bump = bump(s, r);
          for (int ch = 0; ch < c; ch++) {
            int sign = r.nextBoolean() ? 1 : -1;
            for (int u = 0; u < s; u++) {
              for (int v = 0; v < s; v++) {
                int row = Math.max(0, startH) + bh * s + u;
                int col = Math.max(0, startW) + bw * s + v;
                if (row < h && col < w) {
                  d[(ch * h + row) * w + col] += sign * bump[u][v];
                }
              }
            }
          }
        }
      }
      return onSphere(i, d);
    }

    /** x0 + eps d / ||d||, clipped to [0,1] (which only shortens it). */
    private float[] onSphere(int i, double[] d) {
      double norm = 0;
      for (double v : d) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      float[] out = new float[per];
      for (int j = 0; j < per; j++) {
        double v = norm > 0 ? x0[i * per + j] + eps * d[j] / norm : x0[i * per + j];
        out[j] = (float) Math.min(1, Math.max(0, v));
      }
      // float32 rounding may move a pixel further than its exact share: one ulp back keeps the ball
      for (int j = 0; j < per && norm > 0; j++) {
        float x = x0[i * per + j];
        if (Math.abs((double) out[j] - x) > Math.abs(eps * d[j] / norm)) {
          out[j] = Math.nextAfter(out[j], x);
        }
      }
      return out;
    }

    /**
     * The L2 proposal: window 1 gets a fresh bump with a random sign per channel plus its current
     * content, rescaled so that it also takes the mass of window 2 (which is emptied) and what the
     * sphere has left; the whole perturbation is then put back on the sphere.
     */
    private float[] l2Proposal(int i, double p) {
      SplittableRandom r = random[i];
      int s = Math.max((int) Math.round(Math.sqrt(p * per / c)), 3);
      if (s % 2 == 0) {
        s++;
      }
      s = Math.min(s, Math.min(h, w));
      int h1 = r.nextInt(h - s + 1);
      int w1 = r.nextInt(w - s + 1);
      int h2 = r.nextInt(h - s + 1);
      int w2 = r.nextInt(w - s + 1);
      double[] d = new double[per];
      double image = 0;
      for (int j = 0; j < per; j++) {
        d[j] = (double) best[i * per + j] - x0[i * per + j];
        image += d[j] * d[j];
      }
      double spare = Math.max((double) eps * eps - image, 0) / c;
      double[][] bump = bump(s, r);
      for (int ch = 0; ch < c; ch++) {
        int sign = r.nextBoolean() ? 1 : -1;
        double window = 0;
        double windows = 0;
        for (int row = 0; row < h; row++) {
          for (int col = 0; col < w; col++) {
            boolean in1 = inside(row, col, h1, w1, s);
            if (in1 || inside(row, col, h2, w2, s)) {
              double v = d[(ch * h + row) * w + col];
              windows += v * v;
              if (in1) {
                window += v * v;
              }
            }
          }
        }
        window = Math.sqrt(window);
        double[][] fresh = new double[s][s];
        double norm = 0;
        for (int u = 0; u < s; u++) {
          for (int v = 0; v < s; v++) {
            fresh[u][v] = sign * bump[u][v] + d[(ch * h + h1 + u) * w + w1 + v] / (1e-10 + window);
            norm += fresh[u][v] * fresh[u][v];
          }
        }
        double scale = Math.sqrt(spare + windows) / Math.max(Math.sqrt(norm), 1e-300);
        for (int u = 0; u < s; u++) {
          for (int v = 0; v < s; v++) {
            d[(ch * h + h2 + u) * w + w2 + v] = 0;
          }
        }
        for (int u = 0; u < s; u++) {
          for (int v = 0; v < s; v++) {
            d[(ch * h + h1 + u) * w + w1 + v] = fresh[u][v] * scale;
          }
        }
      }
      return onSphere(i, d);
    }

    private static boolean inside(int row, int col, int top, int left, int s) {
      return row >= top && row < top + s && col >= left && col < left + s;
    }
  }

  /**
   * The paper's pseudo-Gaussian bump of side s, unit L2 norm: an upper half of positive nested
   * rectangles (weight 1/(k+1)^2 for the k-th from the centre) and a lower half of negative ones,
   * transposed with probability 1/2.
   */
  static double[][] bump(int s, SplittableRandom r) {
    double[][] d = new double[s][s];
    int top = s / 2;
    rectangles(d, 0, top, s, 1);
    rectangles(d, top, s - top, s, -1);
    normalise(d);
    if (r.nextDouble() > 0.5) {
      double[][] t = new double[s][s];
      for (int u = 0; u < s; u++) {
        for (int v = 0; v < s; v++) {
          t[v][u] = d[u][v];
        }
      }
      return t;
    }
    return d;
  }

  /**
   * Nested rectangles around the centre of rows [from, from + rows) x columns [0, cols), unit norm.
   */
  private static void rectangles(double[][] d, int from, int rows, int cols, int sign) {
    if (rows == 0) {
      return;
    }
    double[][] part = new double[rows][cols];
    int cx = rows / 2 + 1;
    int cy = cols / 2 + 1;
    int r0 = cx - 1;
    int c0 = cy - 1;
    for (int k = 0; k < Math.max(cx, cy); k++) {
      for (int u = Math.max(r0, 0); u < Math.min(r0 + 2 * k + 1, rows); u++) {
        for (int v = Math.max(c0, 0); v < Math.min(c0 + 2 * k + 1, cols); v++) {
          part[u][v] += 1.0 / ((k + 1) * (k + 1));
        }
      }
      r0--;
      c0--;
    }
    normalise(part);
    for (int u = 0; u < rows; u++) {
      for (int v = 0; v < cols; v++) {
        d[from + u][v] = sign * part[u][v];
      }
    }
  }

  private static void normalise(double[][] d) {
    double norm = 0;
    for (double[] row : d) {
      for (double v : row) {
        norm += v * v;
      }
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (double[] row : d) {
        for (int v = 0; v < row.length; v++) {
          row[v] /= norm;
        }
      }
    }
  }
}
