package io.qrbench.quantizers;

import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.Quantizer;
import io.qrbench.testkit.QuantizerContract;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * Every quantizer of this module against the test kit's contract (qrbench-testkit), as a
 * third-party quantizer would be tested: per layer and per channel, with the default skip rule and
 * with only the input layer kept in full precision.
 */
class QuantizerContractsTest {
  private static final List<String> INPUT_ONLY = List.of("input");

  @Nested
  class Twn extends QuantizerContract<TwnQuantizer.Config> {
    @Override
    protected Quantizer<TwnQuantizer.Config> quantizer() {
      return new TwnQuantizer();
    }

    @Override
    protected List<TwnQuantizer.Config> configs() {
      return List.of(
          new TwnQuantizer.Config(null, null, null),
          new TwnQuantizer.Config(0.7, Granularity.CHANNEL, INPUT_ONLY),
          new TwnQuantizer.Config("optimal", Granularity.LAYER, List.of("input", "conv1")));
    }
  }

  @Nested
  class Ttq extends QuantizerContract<TtqQuantizer.Config> {
    @Override
    protected Quantizer<TtqQuantizer.Config> quantizer() {
      return new TtqQuantizer();
    }

    @Override
    protected List<TtqQuantizer.Config> configs() {
      return List.of(
          new TtqQuantizer.Config(null, null, null),
          new TtqQuantizer.Config(0.1, Granularity.CHANNEL, INPUT_ONLY));
    }
  }

  @Nested
  class Binary extends QuantizerContract<BinaryQuantizer.Config> {
    @Override
    protected Quantizer<BinaryQuantizer.Config> quantizer() {
      return new BinaryQuantizer();
    }

    @Override
    protected List<BinaryQuantizer.Config> configs() {
      return List.of(
          new BinaryQuantizer.Config(null, null),
          new BinaryQuantizer.Config(Granularity.CHANNEL, INPUT_ONLY));
    }
  }

  @Nested
  class Uniform extends QuantizerContract<UniformQuantizer.Config> {
    @Override
    protected Quantizer<UniformQuantizer.Config> quantizer() {
      return new UniformQuantizer();
    }

    @Override
    protected List<UniformQuantizer.Config> configs() {
      return List.of(
          new UniformQuantizer.Config(null, null, null),
          new UniformQuantizer.Config(2, Granularity.LAYER, INPUT_ONLY),
          new UniformQuantizer.Config(4, Granularity.CHANNEL, List.of("output")));
    }
  }

  @Nested
  class Fp32 extends QuantizerContract<EmptyConfig> {
    @Override
    protected Quantizer<EmptyConfig> quantizer() {
      return new Fp32Quantizer();
    }

    @Override
    protected List<EmptyConfig> configs() {
      return List.of(new EmptyConfig());
    }

    @Override
    protected boolean quantizesSomeLayer() {
      return false;
    }
  }
}
