package io.qrbench.quantizers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.spi.Bound;
import java.util.List;
import java.util.Optional;

/**
 * Trained Ternary Quantization (Zhu et al. 2016): per layer, threshold t * max|W|, and two scales
 * Wp and Wn learned with the weights: W maps to +Wp, -Wn or 0. In post-training use Wp and Wn are
 * the TWN-style fit of each side; in quantization-aware training they are trained with the paper's
 * gradients, in units of max|W| as the paper's normalised latent weights have it.
 */
public final class TtqQuantizer extends KernelQuantizer<TtqQuantizer.Config> {

  /**
   * @param threshold t: weights within t * max|W| of zero become 0 (the paper: 0.05)
   * @param granularity one pair of scales per layer (the paper) or per output channel
   * @param skip roles (input, hidden, output) or layer names kept in full precision
   */
  public record Config(
      @JsonPropertyDescription("t: |W| <= t*max|W| becomes 0 (the paper: 0.05)")
          @Bound(min = 0, max = 1, maxExclusive = true)
          Double threshold,
      @JsonPropertyDescription(
              "layer or channel: one pair of scales per layer or per output channel")
          Granularity granularity,
      @JsonPropertyDescription(
              "roles (input, hidden, output) or layer names kept in full precision")
          List<String> skip) {
    public Config {
      threshold = threshold == null ? Ternary.TTQ_THRESHOLD : threshold;
      granularity = granularity == null ? Granularity.LAYER : granularity;
      skip = skip == null ? SkipRule.DEFAULT : List.copyOf(skip);
      if (!(threshold >= 0 && threshold < 1)) {
        throw new IllegalArgumentException("threshold must be in [0, 1), was " + threshold);
      }
    }
  }

  @Override
  public String id() {
    return "ttq";
  }

  @Override
  public String description() {
    return "trained ternary {+Wp, 0, -Wn} (TTQ): threshold t*max|W|, scales learned in training";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  protected Quantized quantize(Config config, float[] w, int channels) {
    float[][] s = Ternary.ttqInitialScales(w, channels, config.granularity(), config.threshold());
    return Ternary.ttq(w, channels, config.granularity(), config.threshold(), s[0], s[1]);
  }

  @Override
  protected Quantized quantize(Config config, QuantizableLayer layer, float[] w, int channels) {
    if (layer.transform().orElse(null) instanceof TtqTransform t && t.prepared()) {
      return Ternary.ttq(
          w, channels, config.granularity(), config.threshold(), t.positive(), t.negative());
    }
    return quantize(config, w, channels);
  }

  @Override
  protected SkipRule skip(Config config) {
    return new SkipRule(config.skip());
  }

  @Override
  public Optional<LayerHook> trainingHook(Config config) {
    return Optional.of(new TtqHook(config.threshold(), config.granularity(), skip(config)));
  }
}
