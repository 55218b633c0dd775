package io.qrbench.testing;

import ai.djl.ndarray.NDArray;
import io.qrbench.QrbenchException;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.result.RunResult;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.Quantizer;
import io.qrbench.spi.ReportWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small plugins for framework tests, and a registry holding them. */
public final class FakePlugins {
  private FakePlugins() {}

  /** A registry of every fake plugin, built without discovery. */
  public static PluginRegistry registry() {
    return PluginRegistry.of(
        Map.<PluginKind, List<Plugin<?>>>of(
            PluginKind.MODEL, List.of(new TinyLinearModel()),
            PluginKind.DATASET, List.of(new TinyDataset()),
            PluginKind.QUANTIZER, List.of(new Identity(), new SignQuantizer()),
            PluginKind.PERTURBATION,
                List.of(
                    new Clean(),
                    new SaltAndPepper(),
                    new Sweepable(),
                    new GradientSign(),
                    new Explode()),
            PluginKind.REPORT, List.of(new NoReport())));
  }

  /** {@code fp32}: changes nothing. */
  public static final class Identity implements Quantizer<EmptyConfig> {
    @Override
    public String id() {
      return "fp32";
    }

    @Override
    public String description() {
      return "identity";
    }

    @Override
    public Class<EmptyConfig> configType() {
      return EmptyConfig.class;
    }

    @Override
    public QuantizationSummary quantize(
        EmptyConfig config, List<io.qrbench.nn.QuantizableLayer> layers) {
      return new QuantizationSummary(List.of());
    }
  }

  /**
   * {@code sign}: binary weights alpha * sign(w), alpha = mean |w|, for hidden layers; trained with
   * the straight-through estimator through the layer hook.
   */
  public static final class SignQuantizer implements Quantizer<EmptyConfig> {
    @Override
    public String id() {
      return "sign";
    }

    @Override
    public String description() {
      return "test binary quantizer";
    }

    @Override
    public Class<EmptyConfig> configType() {
      return EmptyConfig.class;
    }

    static NDArray quantized(NDArray w) {
      return w.sign().mul(w.abs().mean());
    }

    @Override
    public java.util.Optional<io.qrbench.nn.LayerHook> trainingHook(EmptyConfig config) {
      return java.util.Optional.of(
          layer ->
              layer.role() == io.qrbench.nn.LayerInfo.Role.OUTPUT
                  ? java.util.Optional.empty()
                  : java.util.Optional.of(
                      (w, training) ->
                          training
                              ? io.qrbench.nn.WeightTransform.straightThrough(w, quantized(w))
                              : quantized(w)));
    }

    @Override
    public QuantizationSummary quantize(
        EmptyConfig config, List<io.qrbench.nn.QuantizableLayer> layers) {
      return new QuantizationSummary(List.of());
    }
  }

  /** {@code none}: the clean batch. */
  public static final class Clean implements Perturbation<EmptyConfig> {
    @Override
    public String id() {
      return "none";
    }

    @Override
    public String description() {
      return "clean";
    }

    @Override
    public Class<EmptyConfig> configType() {
      return EmptyConfig.class;
    }

    @Override
    public NDArray apply(EmptyConfig config, PerturbationContext context) {
      return context.images();
    }
  }

  /** {@code salt-and-pepper}: replaces a fraction of values with 0 or 1, from per-image seeds. */
  public static final class SaltAndPepper implements Perturbation<SaltAndPepper.Config> {
    /**
     * @param amount fraction of values replaced
     */
    public record Config(Double amount, Double saltVsPepper) {
      public Config {
        amount = amount == null ? 0.05 : amount;
        saltVsPepper = saltVsPepper == null ? 0.5 : saltVsPepper;
        if (amount < 0 || amount > 1) {
          throw new IllegalArgumentException("amount must be in [0, 1], was " + amount);
        }
      }
    }

    @Override
    public String id() {
      return "salt-and-pepper";
    }

    @Override
    public String description() {
      return "test salt and pepper";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public NDArray apply(Config config, PerturbationContext ctx) {
      NDArray x = ctx.images();
      int n = ctx.batchSize();
      int per = Math.toIntExact(x.getShape().size() / n);
      float[] v = x.toFloatArray();
      for (int i = 0; i < n; i++) {
        java.util.SplittableRandom r = ctx.random(i);
        for (int j = i * per; j < (i + 1) * per; j++) {
          if (r.nextDouble() < config.amount()) {
            v[j] = r.nextDouble() < config.saltVsPepper() ? 1f : 0f;
          }
        }
      }
      return ctx.manager().create(v, x.getShape());
    }
  }

  /** {@code sweepable}: a scalar key to sweep and a list-typed key that is never swept. */
  public static final class Sweepable implements Perturbation<Sweepable.Config> {
    public record Config(Double strength, List<Integer> taps, String mode) {
      public Config {
        strength = strength == null ? 0.0 : strength;
        taps = taps == null ? List.of() : List.copyOf(taps);
        mode = mode == null ? "add" : mode;
      }
    }

    @Override
    public String id() {
      return "sweepable";
    }

    @Override
    public String description() {
      return "adds strength to every pixel";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public NDArray apply(Config config, PerturbationContext ctx) {
      return ctx.images().add(config.strength().floatValue()).clip(0f, 1f);
    }
  }

  /** {@code gradient-sign}: one FGSM step of size epsilon through the model handle. */
  public static final class GradientSign implements Perturbation<GradientSign.Config> {
    /** Batches crafted so far, by every instance: tests compare it before and after a run. */
    public static final java.util.concurrent.atomic.AtomicInteger BATCHES =
        new java.util.concurrent.atomic.AtomicInteger();

    public record Config(Double epsilon) {
      public Config {
        epsilon = epsilon == null ? 0.1 : epsilon;
      }
    }

    @Override
    public String id() {
      return "gradient-sign";
    }

    @Override
    public String description() {
      return "test FGSM";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public NDArray apply(Config config, PerturbationContext ctx) {
      BATCHES.incrementAndGet();
      NDArray g = ctx.model().lossGradient(ctx.images(), ctx.labels()).gradient();
      return ctx.images().add(g.sign().mul(config.epsilon().floatValue())).clip(0f, 1f);
    }
  }

  /** {@code explode}: fails on purpose. */
  public static final class Explode implements Perturbation<EmptyConfig> {
    @Override
    public String id() {
      return "explode";
    }

    @Override
    public String description() {
      return "always throws";
    }

    @Override
    public Class<EmptyConfig> configType() {
      return EmptyConfig.class;
    }

    @Override
    public NDArray apply(EmptyConfig config, PerturbationContext context) {
      throw new QrbenchException("boom at image " + context.firstIndex());
    }
  }

  /** {@code json}: writes nothing (framework tests read results.json directly). */
  public static final class NoReport implements ReportWriter<EmptyConfig> {
    @Override
    public String id() {
      return "json";
    }

    @Override
    public String description() {
      return "writes nothing";
    }

    @Override
    public Class<EmptyConfig> configType() {
      return EmptyConfig.class;
    }

    @Override
    public List<Path> write(EmptyConfig config, RunResult result, Path outDir) {
      return List.of();
    }
  }
}
