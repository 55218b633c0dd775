package io.qrbench.quantizers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Binary weights (BWN, Rastegari et al. 2016): alpha * sign(W), alpha = mean |W|. */
public final class BinaryQuantizer extends KernelQuantizer<BinaryQuantizer.Config> {

  /**
   * @param granularity one scale per layer or per output channel
   * @param skip roles (input, hidden, output) or layer names kept in full precision
   */
  public record Config(
      @JsonPropertyDescription("layer or channel: one scale per layer or per output channel")
          Granularity granularity,
      @JsonPropertyDescription(
              "roles (input, hidden, output) or layer names kept in full precision")
          List<String> skip) {
    public Config {
      granularity = granularity == null ? Granularity.LAYER : granularity;
      skip = skip == null ? SkipRule.DEFAULT : List.copyOf(skip);
    }
  }

  @Override
  public String id() {
    return "binary";
  }

  @Override
  public String description() {
    return "binary weights alpha*sign(W), alpha = mean|W| (BWN); 1 bit per weight";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  protected Quantized quantize(Config config, float[] w, int channels) {
    return Binary.bwn(w, channels, config.granularity());
  }

  @Override
  protected SkipRule skip(Config config) {
    return new SkipRule(config.skip());
  }
}
