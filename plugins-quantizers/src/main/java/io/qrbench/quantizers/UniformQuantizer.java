package io.qrbench.quantizers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;
import java.util.List;

/**
 * Symmetric uniform k-bit weights: scale = max|W| / (2^(k-1) - 1) per output channel (or layer), W
 * rounded to the nearest level.
 */
public final class UniformQuantizer extends KernelQuantizer<UniformQuantizer.Config> {

  /**
   * @param bits bits per weight, 2 to 8
   * @param granularity one scale per output channel (default) or per layer
   * @param skip roles (input, hidden, output) or layer names kept in full precision
   */
  public record Config(
      @JsonPropertyDescription("bits per weight, 2 to 8")
          @Bound(min = Uniform.MIN_BITS, max = Uniform.MAX_BITS)
          Integer bits,
      @JsonPropertyDescription("channel or layer: one scale per output channel or per layer")
          Granularity granularity,
      @JsonPropertyDescription(
              "roles (input, hidden, output) or layer names kept in full precision")
          List<String> skip) {
    public Config {
      bits = bits == null ? 8 : bits;
      granularity = granularity == null ? Granularity.CHANNEL : granularity;
      skip = skip == null ? SkipRule.DEFAULT : List.copyOf(skip);
      if (bits < Uniform.MIN_BITS || bits > Uniform.MAX_BITS) {
        throw new IllegalArgumentException(
            "bits must be in " + Uniform.MIN_BITS + ".." + Uniform.MAX_BITS + ", was " + bits);
      }
    }
  }

  @Override
  public String id() {
    return "uniform";
  }

  @Override
  public String description() {
    return "symmetric uniform k-bit weights (k = 2..8), per-channel scales, round to nearest";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  protected Quantized quantize(Config config, float[] w, int channels) {
    return Uniform.symmetric(w, channels, config.granularity(), config.bits());
  }

  @Override
  protected SkipRule skip(Config config) {
    return new SkipRule(config.skip());
  }
}
