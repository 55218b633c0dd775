package io.qrbench.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A perturbation applied in another {@link InputSpace} than the [0,1] images: it sees y = (x -
 * offset) / scale as its images, a model that maps y back, and scikit-image's clip range for y;
 * what it returns is mapped back, x' = y' * scale + offset, and handed to the model as it is. For
 * {@code normalised} that is the point: x' is not clipped to [0,1], as a tensor perturbed after
 * {@code Normalize} is not. Framework-level ({@code space:} is valid on every perturbation), so it
 * wraps any plugin and keeps the plugin's id, configuration type and costs.
 *
 * @param <C> the wrapped perturbation's configuration
 */
public final class SpacedPerturbation<C extends Record> implements Perturbation<C>, Framed {
  private final Perturbation<C> inner;
  private final InputSpace space;
  private final float[] clip;

  /**
   * @param inner the perturbation
   * @param space where it works
   * @param clip a fixed [low, high] range replacing the space's rule (e.g. [0, 1] on normalised
   *     values, as torchattacks clamps whatever it is given), or null
   */
  public SpacedPerturbation(Perturbation<C> inner, InputSpace space, float[] clip) {
    this.inner = inner;
    this.space = space;
    this.clip = clip == null ? null : clip.clone();
  }

  /** {@code p} in {@code space}, or {@code p} itself for pixel space without a clip range. */
  public static Perturbation<?> of(Perturbation<?> p, InputSpace space, float[] clip) {
    return space == InputSpace.PIXEL && clip == null ? p : wrap(p, space, clip);
  }

  private static <C extends Record> Perturbation<C> wrap(
      Perturbation<C> p, InputSpace space, float[] clip) {
    return new SpacedPerturbation<>(p, space, clip);
  }

  /** The wrapped perturbation. */
  public Perturbation<C> inner() {
    return inner;
  }

  /** Where the perturbation works. */
  public InputSpace space() {
    return space;
  }

  @Override
  public String id() {
    return inner.id();
  }

  @Override
  public String description() {
    return inner.description() + " (in " + space.key() + " space)";
  }

  @Override
  public Class<C> configType() {
    return inner.configType();
  }

  @Override
  public boolean usesGradients(C config) {
    return inner.usesGradients(config);
  }

  @Override
  public double passesPerImage(C config) {
    return inner.passesPerImage(config);
  }

  @Override
  public Map<String, Object> definition() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("space", space.key());
    if (clip != null) {
      m.put("clip", java.util.List.of((double) clip[0], (double) clip[1]));
    }
    if (inner instanceof Framed f) {
      m.put("inner", f.definition());
    }
    return m;
  }

  @Override
  public NDArray apply(C config, PerturbationContext ctx) {
    NDArray x = ctx.images();
    InputSpace.Affine a = space.affine(ctx.model(), Math.toIntExact(x.getShape().get(1)));
    NDArray y = space == InputSpace.PIXEL ? x : a.fromPixels(x);
    float[] low = new float[ctx.batchSize()];
    float[] high = new float[ctx.batchSize()];
    if (clip != null) {
      java.util.Arrays.fill(low, clip[0]);
      java.util.Arrays.fill(high, clip[1]);
    } else if (space == InputSpace.PIXEL) {
      for (int i = 0; i < low.length; i++) {
        low[i] = ctx.clipLow(i);
        high[i] = ctx.clipHigh(i);
      }
    } else {
      // scikit-image's random_noise: low clip -1 when the image has a negative value, else 0
      float[] minima = y.reshape(low.length, -1).min(new int[] {1}).toFloatArray();
      for (int i = 0; i < low.length; i++) {
        low[i] = minima[i] < 0f ? -1f : 0f;
        high[i] = 1f;
      }
    }
    View view = new View(ctx, y, new SpaceModel(ctx.model(), a), low, high);
    NDArray out = inner.apply(config, view);
    if (out == y) {
      return x;
    }
    return space == InputSpace.PIXEL ? out : a.toPixels(out);
  }

  /** The batch as the wrapped perturbation sees it. */
  private record View(
      PerturbationContext outer, NDArray images, ModelUnderTest model, float[] low, float[] high)
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
      return outer.seed(i);
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
      return low[i];
    }

    @Override
    public float clipHigh(int i) {
      return high[i];
    }
  }

  /**
   * The model seen from the space: its input y is mapped to x = y * scale + offset first, and input
   * gradients are carried back by the chain rule (times scale).
   */
  private record SpaceModel(ModelUnderTest model, InputSpace.Affine a) implements ModelUnderTest {
    @Override
    public String name() {
      return model.name();
    }

    @Override
    public int classes() {
      return model.classes();
    }

    @Override
    public Optional<Standardisation> standardisation() {
      return Optional.empty(); // y is already this space's; nothing further to take off
    }

    @Override
    public NDArray logits(NDArray images) {
      return model.logits(a.toPixels(images));
    }

    @Override
    public LossGradient lossGradient(NDArray images, NDArray labels) {
      LossGradient g = model.lossGradient(a.toPixels(images), labels);
      return new LossGradient(g.loss(), g.logits(), g.logOdds(), a.gradientToSpace(g.direction()));
    }

    @Override
    public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
      ObjectiveGradient g = model.objectiveGradient(a.toPixels(images), objective);
      return new ObjectiveGradient(g.logits(), g.values(), a.gradientToSpace(g.gradient()));
    }
  }
}
