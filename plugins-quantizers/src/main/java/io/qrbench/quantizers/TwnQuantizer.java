package io.qrbench.quantizers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import java.util.List;

/**
 * Ternary Weight Networks (Li and Liu 2016): W is approximated by alpha * Wt, Wt in {-1, 0, 1},
 * with Wt = sign(W) where |W| > delta and alpha the mean |W| above delta. Delta is TWN's rule (a
 * factor times mean |W|, 0.7 in the paper) or the exact maximiser of the fit.
 */
public final class TwnQuantizer extends KernelQuantizer<TwnQuantizer.Config> {

  /**
   * @param delta a number (the factor times mean |W|; TWN uses 0.7) or {@code optimal}
   * @param granularity one threshold and scale per layer (the official TWN code) or per output
   *     channel
   * @param skip roles (input, hidden, output) or layer names kept in full precision
   */
  public record Config(
      @JsonPropertyDescription(
              "factor times mean |W| (TWN: 0.7), or 'optimal' for the exact maximiser")
          @Bound(min = 0, minExclusive = true, max = 10, why = "TWN uses 0.7", words = "optimal")
          Object delta,
      @JsonPropertyDescription(
              "layer or channel: one threshold and scale per layer or per output channel")
          Granularity granularity,
      @JsonPropertyDescription(
              "roles (input, hidden, output) or layer names kept in full precision")
          List<String> skip) {
    public Config {
      delta = delta == null ? Ternary.TWN_FACTOR : delta;
      granularity = granularity == null ? Granularity.LAYER : granularity;
      skip = skip == null ? SkipRule.DEFAULT : List.copyOf(skip);
      rule(delta);
    }

    /** The delta rule the configuration names. */
    DeltaRule rule() {
      return rule(delta);
    }

    private static DeltaRule rule(Object delta) {
      if (delta instanceof Number n) {
        if (!(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
          throw new IllegalArgumentException(
              "delta must be a positive factor (TWN: 0.7) or 'optimal', was " + n);
        }
        return new DeltaRule.Factor(n.doubleValue());
      }
      if ("optimal".equals(delta)) {
        return new DeltaRule.Optimal();
      }
      throw new IllegalArgumentException(
          "delta must be a positive factor (TWN: 0.7) or 'optimal', was '" + delta + "'");
    }
  }

  @Override
  public String id() {
    return "twn";
  }

  @Override
  public String description() {
    return "ternary weights alpha*{-1,0,1} (TWN): delta = 0.7*mean|W| or the optimal delta; per layer or channel";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  protected Quantized quantize(Config config, float[] w, int channels) {
    return Ternary.twn(w, channels, config.granularity(), config.rule());
  }

  @Override
  protected SkipRule skip(Config config) {
    return new SkipRule(config.skip());
  }
}
