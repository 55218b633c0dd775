package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.ModelUnderTest.LogitObjective;
import io.qrbench.spi.ModelUnderTest.ObjectiveGradient;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Auto-PGD (Croce and Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of
 * diverse parameter-free attacks", Algorithm 1): PGD with momentum whose step size needs no tuning.
 * The step starts at 2 epsilon and is halved, per image, at checkpoints w_j = ceil(p_j N) (p_0 = 0,
 * p_1 = 0.22, p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)) when the loss rose in fewer than rho
 * of the steps since the last checkpoint, or when neither the step nor the best loss changed since
 * it; a halving restarts the image from its best point. The loss is the cross-entropy or the
 * targeted DLR loss, computed from the logits in double precision ({@link LogitLosses}).
 *
 * <p>Each step is one forward and one backward pass: the loss and the misclassification check come
 * from the logits of the pass that gives the gradient (the last point needs only a forward pass).
 * Images the model gets wrong clean are left as they are and count as fooled; restarts and targets
 * run only on the images still classified right. Each image gets the first misclassifying point
 * found for it, or else its point of highest loss over all runs (a later run's only when it is
 * higher by more than rounding, {@link #higher}), and the case records {@code fooled}, 1 for the
 * images returned misclassified. An image's result depends only on its own pixels and seed, never
 * on the rest of its batch.
 */
public final class Apgd implements Perturbation<Apgd.Config> {

  /**
   * @param norm linf or l2
   * @param epsilon the ball's radius (linf default 8/255; l2 default 0.5)
   * @param loss ce or dlr-targeted
   * @param targets for dlr-targeted: the classes of largest clean logit other than the label, one
   *     run each
   * @param steps steps per run (N in the paper)
   * @param restarts runs per target, each from its own random start
   * @param rho the fraction of steps that must raise the loss for the step size to stay
   * @param momentum alpha in the paper: the weight of the new step against the previous one
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
              "ce (cross-entropy) or dlr-targeted (targeted difference of logits ratio)")
          String loss,
      @JsonPropertyDescription(
              "dlr-targeted: runs, one per class of largest clean logit other than the label")
          @Bound(min = 1, max = 1000, why = "one run of all the steps per target")
          Integer targets,
      @JsonPropertyDescription("steps per run")
          @Bound(min = 1, max = Steps.MAX_STEPS, why = Steps.WHY)
          Integer steps,
      @JsonPropertyDescription(
              "runs (per target) from different random starts, on the images not yet broken")
          @Bound(min = 1, max = 1000, why = Steps.WHY)
          Integer restarts,
      @JsonPropertyDescription(
              "the step size halves when the loss rose in fewer than this fraction of steps")
          @Bound(min = 0, max = 1)
          Double rho,
      @JsonPropertyDescription(
              "alpha: weight of the new step against the last one (1: no momentum)")
          @Bound(min = 0, max = 1)
          Double momentum) {
    public Config {
      norm = Steps.norm(norm, "linf");
      epsilon = Steps.epsilon(epsilon, norm);
      loss = loss == null ? "ce" : loss.toLowerCase(Locale.ROOT);
      if (!loss.equals("ce") && !loss.equals("dlr-targeted")) {
        throw new IllegalArgumentException("loss must be ce or dlr-targeted, was '" + loss + "'");
      }
      targets = targets == null ? 9 : targets;
      steps = steps == null ? 100 : steps;
      restarts = restarts == null ? 1 : restarts;
      rho = rho == null ? 0.75 : rho;
      momentum = momentum == null ? 0.75 : momentum;
      if (targets < 1 || steps < 1 || restarts < 1) {
        throw new IllegalArgumentException("targets, steps and restarts must be at least 1");
      }
      if (!(rho >= 0 && rho <= 1) || !(momentum >= 0 && momentum <= 1)) {
        throw new IllegalArgumentException(
            "rho and momentum must be in [0, 1], were " + rho + " and " + momentum);
      }
    }

    boolean linf() {
      return norm.equals("linf");
    }

    boolean targeted() {
      return loss.equals("dlr-targeted");
    }
  }

  @Override
  public String id() {
    return "apgd";
  }

  @Override
  public String description() {
    return "auto-PGD: step size halved at checkpoints, momentum, CE or targeted DLR loss, L-infinity or L2 (Croce & Hein)";
  }

  /** White-box: each step follows the objective's gradient. */
  @Override
  public boolean usesGradients(Config config) {
    return true;
  }

  /** A gradient per step of every restart, for every target of the targeted loss. */
  @Override
  public double passesPerImage(Config config) {
    int runs = config.loss().equals("dlr-targeted") ? config.targets() : 1;
    return 3.0 * config.steps() * config.restarts() * runs;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    Outcome out = attack(config, ctx);
    float[] fooled = new float[out.fooled().length];
    for (int i = 0; i < fooled.length; i++) {
      fooled[i] = out.fooled()[i] ? 1f : 0f;
    }
    ctx.record("fooled", fooled);
    return out.images();
  }

  /** The returned batch and which of its images the model gets wrong. */
  record Outcome(NDArray images, boolean[] fooled) {}

  /** All the runs (targets x restarts), each on the images still classified right. */
  static Outcome attack(Config config, PerturbationContext ctx) {
    NDArray x0 = ctx.images();
    int n = ctx.batchSize();
    int classes = ctx.model().classes();
    int[] y = ctx.labels().toType(DataType.INT32, false).toIntArray();
    NDArray cleanLogits = ctx.model().logits(x0);
    float[] clean = cleanLogits.toFloatArray();
    cleanLogits.close();
    boolean[] fooled = LogitLosses.wrong(clean, y, classes);
    if (config.epsilon() == 0) {
      return new Outcome(x0, fooled);
    }
    int[][] targets =
        config.targeted() ? LogitLosses.targets(clean, y, classes, config.targets()) : null;
    if (config.targeted() && classes < 4) {
      throw new IllegalArgumentException(
          "apgd's dlr-targeted loss needs at least 4 classes (its denominator"
              + " reads the 3rd and 4th largest logits); the model "
              + ctx.model().name()
              + " has "
              + classes
              + ": use loss: ce");
    }
    int runsPerRestart = config.targeted() ? Math.min(config.targets(), classes - 1) : 1;
    NDArray result = x0;
    double[] best = new double[n];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (int t = 0; t < runsPerRestart; t++) {
      for (int r = 0; r < config.restarts(); r++) {
        boolean[] alive = new boolean[n];
        for (int i = 0; i < n; i++) {
          alive[i] = !fooled[i];
        }
        Subset sub = Subset.of(ctx, alive);
        if (sub.size() == 0) {
          return new Outcome(result, fooled);
        }
        int[] ys = new int[sub.size()];
        int[] ts = new int[sub.size()];
        for (int k = 0; k < ys.length; k++) {
          ys[k] = y[sub.index()[k]];
          ts[k] = targets == null ? 0 : targets[sub.index()[k]][t];
        }
        LogitObjective objective =
            config.targeted() ? LogitLosses.dlrTargeted(ys, ts) : LogitLosses.crossEntropy(ys);
        Run run = run(config, sub, objective, ys, classes, t * config.restarts() + r);
        boolean[] take = new boolean[n];
        for (int k = 0; k < ys.length; k++) {
          int i = sub.index()[k];
          if (k > 0 && sub.index()[k - 1] == i) {
            continue; // a lone image's second copy (Subset.of) computed the same
          }
          // a broken image is done; else the run with the highest loss gives the returned point
          take[i] = run.broken()[k] || higher(run.best()[k], best[i]);
          if (take[i]) {
            best[i] = run.best()[k];
            fooled[i] = run.broken()[k];
          }
        }
        result = sub.scatter(run.images(), take, result);
      }
    }
    return new Outcome(result, fooled);
  }

  /**
   * Whether a later run's best loss beats an earlier one's by more than rounding. The runs go on
   * different subsets of the batch, and the engine's float32 logits of an image move in the last
   * bits with its batch's size and company (by 3e-8 on ConfidentNet between batches of 5 and 2), so
   * two runs that reach the same loss (typically: a first step of 2 epsilon lands every start on
   * the same corner of the ball) would otherwise be ordered by that noise, and an image's result
   * would depend on the batch it came in.
   */
  static boolean higher(double later, double earlier) {
    return earlier == Double.NEGATIVE_INFINITY
        || later > earlier + LOSS_NOISE * (1 + Math.abs(earlier));
  }

  /** Relative differences of losses below this are taken as rounding: some 100 float32 ulps. */
  static final double LOSS_NOISE = 1e-5;

  /**
   * One run's outcome per image of its batch: its point (the first misclassifying one found, or the
   * one of highest loss), whether that point is misclassified, and the highest loss reached.
   */
  private record Run(NDArray images, boolean[] broken, double[] best) {}

  /**
   * The checkpoints w_0 = 0 < w_1 < ... < N of a run of {@code steps} steps, w_j = ceil(p_j N). The
   * p_j are exact in hundredths (0.22, 0.41, 0.57, ...), so they are kept as integers: in floating
   * point 0.22 + 0.19 is 0.41000000000000003, whose ceil(100 p) would be 42.
   */
  static int[] checkpoints(int steps) {
    List<Integer> w = new ArrayList<>(List.of(0));
    int previous = 0;
    int p = 22;
    while (p <= 100) {
      int at = (int) Math.ceil(p * (long) steps / 100.0 - 1e-9);
      if (at > w.get(w.size() - 1)) {
        w.add(at);
      }
      int next = p + Math.max(p - previous - 3, 6);
      previous = p;
      p = next;
    }
    return w.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The per-image state of a run, its arrays in one manager that each step replaces. */
  private static final class State {
    NDManager held;
    NDArray x; // the current point
    NDArray xPrev; // the point before it (momentum)
    NDArray g; // the loss gradient at x
    NDArray xBest; // the point of highest loss
    NDArray gBest; // the gradient there
    NDArray xOut; // per image: the first misclassifying point, or xBest while there is none

    /** Moves what the state holds into a fresh manager and frees everything else of the step. */
    void keep(NDManager next) {
      for (NDArray a : new NDArray[] {x, xPrev, g, xBest, gBest, xOut}) {
        if (a != null) {
          NDScope.unregister(a);
          a.attach(next);
        }
      }
    }
  }

  private static Run run(
      Config config, Subset ctx, LogitObjective objective, int[] y, int classes, int draw) {
    int n = ctx.size();
    float eps = config.epsilon().floatValue();
    boolean linf = config.linf();
    NDArray x0 = ctx.images();
    int[] w = checkpoints(config.steps());
    int nextCheck = 1;
    float[] eta = new float[n];
    Arrays.fill(eta, 2 * eps);
    double[] loss;
    double[] best;
    double[] bestAtCheck;
    boolean[] halvedAtCheck = new boolean[n];
    int[] rises = new int[n];
    boolean[] broken;
    State s = new State();
    s.held = ctx.manager().newSubManager();
    try {
      try (NDScope scope = new NDScope()) {
        s.x = Steps.randomStart(ctx, eps, linf, draw);
        if (!linf) {
          s.x = Steps.projectL2(s.x, x0, eps); // rounding could leave it a hair outside
        }
        s.x.attach(s.held);
        ObjectiveGradient og = ctx.model().objectiveGradient(s.x, objective);
        loss = og.values().clone();
        broken = LogitLosses.wrong(og.logits().toFloatArray(), y, classes);
        s.g = og.gradient();
        s.xPrev = s.x;
        s.xBest = s.x;
        s.gBest = s.g;
        s.xOut = s.x;
        s.keep(s.held);
      }
      best = loss.clone();
      bestAtCheck = loss.clone();
      float alpha = config.momentum().floatValue();
      for (int k = 0; k < config.steps() && !all(broken); k++) {
        NDManager next = ctx.manager().newSubManager();
        try (NDScope scope = new NDScope()) {
          NDArray etaColumn = next.create(eta).reshape(Steps.column(x0.getShape()));
          NDArray z =
              linf
                  ? Steps.projectLinf(Steps.linfStep(s.x, s.g, etaColumn), x0, eps)
                  : Steps.projectL2(Steps.l2Step(s.x, s.g, etaColumn), x0, eps);
          NDArray xNew = z;
          if (k > 0) {
            NDArray mixed = s.x.add(z.sub(s.x).mul(alpha)).add(s.x.sub(s.xPrev).mul(1 - alpha));
            xNew = linf ? Steps.projectLinf(mixed, x0, eps) : Steps.projectL2(mixed, x0, eps);
          }
          s.xPrev = s.x;
          s.x = xNew;
          s.x.attach(next); // so that what the model returns for it is freed with the step
          float[] logits;
          double[] f;
          if (k == config.steps() - 1) { // the last point's gradient would never be used
            logits = ctx.model().logits(s.x).toFloatArray();
            f = objective.evaluate(logits, classes, new float[logits.length]);
            s.g = null;
          } else {
            ObjectiveGradient og = ctx.model().objectiveGradient(s.x, objective);
            logits = og.logits().toFloatArray();
            f = og.values();
            s.g = og.gradient();
          }
          boolean[] wrong = LogitLosses.wrong(logits, y, classes);
          boolean[] fresh = new boolean[n];
          boolean[] better = new boolean[n];
          for (int i = 0; i < n; i++) {
            fresh[i] = wrong[i] && !broken[i];
            broken[i] |= wrong[i];
            rises[i] += f[i] > loss[i] ? 1 : 0;
            loss[i] = f[i];
            better[i] = f[i] > best[i];
            best[i] = better[i] ? f[i] : best[i];
          }
          s.xBest = pick(next, better, s.x, s.xBest);
          if (s.g != null) {
            s.gBest = pick(next, better, s.g, s.gBest);
          }
          // an image keeps its first misclassifying point; until then it follows its best one
          boolean[] follow = new boolean[n];
          for (int i = 0; i < n; i++) {
            follow[i] = fresh[i] || (!broken[i] && better[i]);
          }
          s.xOut = pick(next, follow, s.x, s.xOut);
          if (nextCheck < w.length && k + 1 == w[nextCheck]) {
            int window = w[nextCheck] - w[nextCheck - 1];
            boolean[] halve = new boolean[n];
            for (int i = 0; i < n; i++) {
              boolean tooFewRises = rises[i] < config.rho() * window;
              boolean stalled = !halvedAtCheck[i] && best[i] == bestAtCheck[i];
              halve[i] = tooFewRises || stalled;
              eta[i] = halve[i] ? eta[i] / 2 : eta[i];
              halvedAtCheck[i] = halve[i];
              loss[i] = halve[i] ? best[i] : loss[i]; // the run goes on from the best point
              bestAtCheck[i] = best[i];
              rises[i] = 0;
            }
            s.x = pick(next, halve, s.xBest, s.x);
            if (s.g != null) {
              s.g = pick(next, halve, s.gBest, s.g);
            }
            nextCheck++;
          }
          s.keep(next);
        }
        s.held.close();
        s.held = next;
      }
      NDArray out = s.xOut;
      out.attach(ctx.manager());
      return new Run(out, broken, best);
    } finally {
      s.held.close();
    }
  }

  /** Per image: {@code ifTrue}'s row where {@code mask}, else {@code ifFalse}'s. */
  private static NDArray pick(NDManager m, boolean[] mask, NDArray ifTrue, NDArray ifFalse) {
    if (!any(mask)) {
      return ifFalse;
    }
    float[] v = new float[mask.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = mask[i] ? 1f : 0f;
    }
    NDArray c =
        m.create(v).reshape(Steps.column(ifTrue.getShape())).broadcast(ifTrue.getShape()).gt(0.5f);
    return NDArrays.where(c, ifTrue, ifFalse);
  }

  private static boolean any(boolean[] b) {
    for (boolean v : b) {
      if (v) {
        return true;
      }
    }
    return false;
  }

  private static boolean all(boolean[] b) {
    for (boolean v : b) {
      if (!v) {
        return false;
      }
    }
    return true;
  }
}
