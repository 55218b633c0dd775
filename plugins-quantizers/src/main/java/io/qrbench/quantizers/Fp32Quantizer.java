package io.qrbench.quantizers;

import ai.djl.ndarray.NDArray;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.Quantizer;
import java.util.ArrayList;
import java.util.List;

/** Full precision: leaves every weight as it is, and reports the model's kernels as 32-bit. */
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
  public QuantizationSummary quantize(EmptyConfig config, List<QuantizableLayer> layers) {
    List<QuantizationSummary.Layer> out = new ArrayList<>();
    for (QuantizableLayer layer : layers) {
      NDArray w = layer.weight().getArray();
      long n = w.size();
      long zeros;
      try (NDArray z = w.eq(0).countNonzero()) {
        zeros = z.getLong();
      }
      out.add(
          new QuantizationSummary.Layer(
              layer.info().name(), n, false, 32, (double) zeros / n, 0, 4 * n));
    }
    return new QuantizationSummary(out);
  }
}
