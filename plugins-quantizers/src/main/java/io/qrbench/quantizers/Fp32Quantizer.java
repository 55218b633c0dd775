package io.qrbench.quantizers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.qrbench.nn.WeightTensors;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.QuantizationSummary;
import io.qrbench.spi.Quantizer;
import java.util.ArrayList;
import java.util.List;

/** Full precision: leaves every weight as it is, and reports the model's weights as 32-bit. */
public final class Fp32Quantizer implements Quantizer<EmptyConfig> {

  @Override
  public String id() {
    return "fp32";
  }

  @Override
  public String description() {
    return "full precision (identity): the baseline every quantizer is compared with";
  }

  @Override
  public Class<EmptyConfig> configType() {
    return EmptyConfig.class;
  }

  @Override
  public QuantizationSummary quantize(EmptyConfig config, Block block) {
    List<QuantizationSummary.Layer> layers = new ArrayList<>();
    for (Pair<String, Parameter> p : WeightTensors.of(block)) {
      NDArray w = p.getValue().getArray();
      long n = w.size();
      long zeros;
      try (NDArray z = w.eq(0).countNonzero()) {
        zeros = z.getLong();
      }
      layers.add(new QuantizationSummary.Layer(p.getKey(), n, false, 32, (double) zeros / n, 0));
    }
    return new QuantizationSummary(layers);
  }
}
