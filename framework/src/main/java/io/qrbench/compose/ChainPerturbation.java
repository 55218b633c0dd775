package io.qrbench.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.QrbenchException;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Perturbations applied one after the other to the same batch ({@code {id: chain, of: [gaussian,
 * poisson]}}): each step sees the previous step's output as its images, as code that overwrites one
 * image variable noise after noise does. Any perturbation plugin can be a step, an attack too (it
 * then attacks the noisy image, through the model as usual).
 *
 * <p>Step j of image i draws from its own seed: step 0 from the case's seed of the image itself, so
 * that a chain of one step gives that perturbation's images exactly, step j &gt; 0 from {@link
 * #stepSeed}(that seed, j). A stage (the first k steps, {@code stages: true}) is the same chain cut
 * short, with the whole chain's seeds, so its images are those the whole chain passes through.
 */
public final class ChainPerturbation implements Perturbation<ChainPerturbation.Config>, Framed {

  /**
   * One step.
   *
   * @param label how case labels and messages name it (the plugin's id)
   * @param plugin the perturbation, possibly in another space ({@link SpacedPerturbation})
   * @param config its bound configuration (one level: steps take no lists)
   * @param params the step's keys as written, for the definition
   */
  public record Step(
      String label, Perturbation<?> plugin, Record config, Map<String, Object> params) {
    public Step {
      params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
  }

  /**
   * A chain's level.
   *
   * @param steps how many of the chain's steps to apply, from the first: all of them, or one stage
   */
  public record Config(int steps) {}

  private final List<Step> steps;

  /** A chain of {@code steps}, at least one. */
  public ChainPerturbation(List<Step> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a chain needs at least one step");
    }
    this.steps = List.copyOf(steps);
  }

  /** The steps, in order. */
  public List<Step> steps() {
    return steps;
  }

  @Override
  public String id() {
    return "chain";
  }

  @Override
  public String description() {
    return "perturbations applied in sequence, each seeded on its own";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public boolean usesGradients(Config config) {
    for (int j = 0; j < count(config); j++) {
      if (gradients(steps.get(j).plugin(), steps.get(j).config())) {
        return true;
      }
    }
    return false;
  }

  /** One forward pass for the evaluation, plus what each step does beyond its own. */
  @Override
  public double passesPerImage(Config config) {
    double passes = 1;
    for (int j = 0; j < count(config); j++) {
      passes += passes(steps.get(j).plugin(), steps.get(j).config()) - 1;
    }
    return passes;
  }

  /** Each step's id and framework settings; the suite's definition adds their configurations. */
  @Override
  public Map<String, Object> definition() {
    List<Object> out = new ArrayList<>();
    for (Step s : steps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.plugin().id());
      if (s.plugin() instanceof Framed f) {
        m.put("framework", f.definition());
      }
      out.add(m);
    }
    return Map.of("of", out);
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    NDArray x = ctx.images();
    for (int j = 0; j < count(config); j++) {
      Step s = steps.get(j);
      NDArray before = x;
      x = apply(s.plugin(), s.config(), new StepContext(ctx, x, j));
      if (!x.getShape().equals(before.getShape())) {
        throw new QrbenchException(
            "chain step "
                + (j + 1)
                + " ('"
                + s.label()
                + "') returned shape "
                + x.getShape()
                + " for a batch of shape "
                + before.getShape());
      }
    }
    return x;
  }

  /**
   * The seed of step {@code step} of an image whose case seed is {@code imageSeed}: the seed itself
   * for the first step, else SplitMix64's finaliser of seed + step x the golden gamma (as the
   * framework derives an image's seed from its case's), a bijection that keeps the steps apart.
   */
  public static long stepSeed(long imageSeed, int step) {
    if (step == 0) {
      return imageSeed;
    }
    long z = imageSeed + 0x9E3779B97F4A7C15L * step;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private int count(Config config) {
    if (config.steps() < 1 || config.steps() > steps.size()) {
      throw new IllegalArgumentException(
          "a chain of " + steps.size() + " steps cannot apply " + config.steps());
    }
    return config.steps();
  }

  private static <C extends Record> NDArray apply(
      Perturbation<C> p, Record config, PerturbationContext ctx) {
    return p.apply(p.configType().cast(config), ctx);
  }

  private static <C extends Record> boolean gradients(Perturbation<C> p, Record config) {
    return p.usesGradients(p.configType().cast(config));
  }

  private static <C extends Record> double passes(Perturbation<C> p, Record config) {
    return p.passesPerImage(p.configType().cast(config));
  }

  /** The batch as step {@code step} sees it: the previous step's images, its own seeds. */
  private record StepContext(PerturbationContext outer, NDArray images, int step)
      implements PerturbationContext {
    @Override
    public NDArray labels() {
      return outer.labels();
    }

    @Override
    public int firstIndex() {
      return outer.firstIndex();
    }

    @Override
    public long seed(int i) {
      return stepSeed(outer.seed(i), step);
    }

    @Override
    public ModelUnderTest model() {
      return outer.model();
    }

    @Override
    public NDManager manager() {
      return outer.manager();
    }

    @Override
    public void record(String metric, float[] perImage) {
      outer.record(metric, perImage);
    }

    @Override
    public float clipLow(int i) {
      return outer.clipLow(i);
    }

    @Override
    public float clipHigh(int i) {
      return outer.clipHigh(i);
    }
  }
}
