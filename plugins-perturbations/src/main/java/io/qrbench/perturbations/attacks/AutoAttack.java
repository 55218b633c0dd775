package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * AutoAttack's standard evaluation (Croce and Hein 2020), the one RobustBench reports: APGD on the
 * cross-entropy, targeted APGD on the DLR loss, then the black-box Square attack, each run only on
 * the images that every earlier one left classified right. What survives them all is the robust
 * accuracy. Images the model gets wrong clean are broken by {@code clean}. The case records, per
 * image, {@code fooled} and {@code broken-by-<component>} (1 for the one that broke it, clean
 * included): no component's share depends on the ones after it.
 */
public final class AutoAttack implements Perturbation<AutoAttack.Config> {

  /** How a component attacks the images that the earlier ones left correct. */
  @FunctionalInterface
  interface Component {
    /**
     * @param survivors a batch of the images still classified right, their seeds those of the whole
     *     batch
     * @return the perturbed survivors, in the ball
     */
    NDArray attack(PerturbationContext survivors, String norm, double epsilon);
  }

  /** The standard version's components, in order. */
  static final List<String> STANDARD = List.of("apgd-ce", "apgd-t", "square");

  /** The components this build has, by name. */
  static final Map<String, Component> AVAILABLE = available();

  private static Map<String, Component> available() {
    Map<String, Component> m = new LinkedHashMap<>();
    // the paper's settings: APGD-CE 100 steps, 1 restart; APGD-T 9 targets of 100 steps each
    m.put(
        "apgd-ce",
        (c, norm, eps) ->
            new Apgd().apply(new Apgd.Config(norm, eps, "ce", null, 100, 1, null, null), c));
    m.put(
        "apgd-t",
        (c, norm, eps) ->
            new Apgd().apply(new Apgd.Config(norm, eps, "dlr-targeted", 9, 100, 1, null, null), c));
    // Square with the paper's 5,000 queries and p-init 0.8: the black-box component, which a
    // masked gradient cannot fool
    m.put(
        "square",
        (c, norm, eps) -> new Square().apply(new Square.Config(norm, eps, null, null), c));
    return Collections.unmodifiableMap(m);
  }

  /**
   * @param components the attacks in order (default apgd-ce, apgd-t, square)
   * @param norm linf or l2, for every component
   * @param epsilon the ball's radius, for every component (linf default 8/255; l2 default 0.5)
   * @param version standard, the only one
   */
  public record Config(
      @JsonPropertyDescription(
              "attacks in order, each on what the earlier ones left: apgd-ce, apgd-t, square")
          List<String> components,
      @JsonPropertyDescription("linf or l2") String norm,
      @JsonPropertyDescription("radius of the ball, [0,1] units (linf: 8/255, l2: 0.5)")
          @Bound(
              min = 0,
              max = 64,
              why =
                  "pixel units: linf at most 1, the whole pixel range; l2 at most 64"
                      + " (a 3x32x32 image's diagonal is 55)")
          Double epsilon,
      @JsonPropertyDescription("standard (the only version)") String version) {
    public Config {
      version = version == null ? "standard" : version.toLowerCase(Locale.ROOT);
      if (!version.equals("standard")) {
        throw new IllegalArgumentException("version must be standard, was '" + version + "'");
      }
      if (components == null) {
        components = STANDARD;
      }
      components = List.copyOf(components);
      if (components.isEmpty()) {
        throw new IllegalArgumentException(
            "components must name at least one attack; known: " + AVAILABLE.keySet());
      }
      Set<String> seen = new HashSet<>();
      for (String c : components) {
        if (!AVAILABLE.containsKey(c)) {
          throw new IllegalArgumentException(
              "unknown component '" + c + "'; known: " + String.join(", ", AVAILABLE.keySet()));
        }
        if (!seen.add(c)) {
          throw new IllegalArgumentException("component '" + c + "' is listed twice");
        }
      }
      norm = Steps.norm(norm, "linf");
      epsilon = Steps.epsilon(epsilon, norm);
    }
  }

  private final Map<String, Component> components;

  public AutoAttack() {
    this(AVAILABLE);
  }

  /** With other implementations of the components (tests). */
  AutoAttack(Map<String, Component> components) {
    this.components = Map.copyOf(components);
  }

  @Override
  public String id() {
    return "autoattack";
  }

  @Override
  public String description() {
    return "AutoAttack standard: apgd-ce, apgd-t, square, each on the images the earlier ones left (Croce & Hein)";
  }

  /** White-box unless the components are Square alone, the black-box one. */
  @Override
  public boolean usesGradients(Config config) {
    return config.components().stream().anyMatch(c -> c.startsWith("apgd"));
  }

  /**
   * Each component's budget at the standard settings (apgd-ce 100 steps, apgd-t 9 targets of 100
   * steps, square 5000 queries), as if every image reached it: later ones see fewer images.
   */
  @Override
  public double passesPerImage(Config config) {
    return config.components().stream()
        .mapToDouble(c -> c.equals("square") ? 5000 : c.equals("apgd-t") ? 9 * 300 : 300)
        .sum();
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public NDArray apply(Config config, PerturbationContext ctx) {
    int n = ctx.batchSize();
    int[] y = ctx.labels().toType(DataType.INT32, false).toIntArray();
    boolean[] broken = wrong(ctx, ctx.images(), y);
    List<String> names = new ArrayList<>();
    names.add("clean");
    names.addAll(config.components());
    int[] brokenBy = new int[n]; // index into names; -1 while not broken
    for (int i = 0; i < n; i++) {
      brokenBy[i] = broken[i] ? 0 : -1;
    }
    NDArray result = ctx.images();
    for (int c = 0; c < config.components().size(); c++) {
      boolean[] alive = new boolean[n];
      for (int i = 0; i < n; i++) {
        alive[i] = !broken[i];
      }
      Subset survivors = Subset.of(ctx, alive);
      if (survivors.size() == 0) {
        break;
      }
      String name = config.components().get(c);
      NDArray adv = components.get(name).attack(survivors, config.norm(), config.epsilon());
      int[] ys = new int[survivors.size()];
      for (int k = 0; k < ys.length; k++) {
        ys[k] = y[survivors.index()[k]];
      }
      // judged by the model on the returned images, as the case's accuracy will be
      boolean[] now = wrong(survivors, adv, ys);
      boolean[] put = new boolean[n];
      for (int k = 0; k < ys.length; k++) {
        int i = survivors.index()[k];
        put[i] = now[k];
        if (now[k]) {
          broken[i] = true;
          brokenBy[i] = c + 1;
        }
      }
      result = survivors.scatter(adv, put, result);
    }
    float[] fooled = new float[n];
    for (int i = 0; i < n; i++) {
      fooled[i] = broken[i] ? 1f : 0f;
    }
    ctx.record("fooled", fooled);
    for (int c = 0; c < names.size(); c++) {
      float[] by = new float[n];
      for (int i = 0; i < n; i++) {
        by[i] = brokenBy[i] == c ? 1f : 0f;
      }
      ctx.record("broken-by-" + names.get(c), by);
    }
    return result;
  }

  private static boolean[] wrong(PerturbationContext ctx, NDArray images, int[] labels) {
    NDArray logits = ctx.model().logits(images);
    try {
      return LogitLosses.wrong(logits.toFloatArray(), labels, ctx.model().classes());
    } finally {
      logits.close();
    }
  }
}
