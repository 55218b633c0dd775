package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import io.qrbench.nn.LayerInfo;
import io.qrbench.quant.PackedTensor;
import io.qrbench.quant.Packing;
import io.qrbench.spi.QuantizableLayer;
import io.qrbench.spi.QuantizationSummary;
import io.qrbench.spi.Quantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A correct sign quantizer (alpha * sign(w), alpha = mean |w|, input and output layers kept) and
 * variants of it that each break one promise, with the contract tests that run them (nested
 * classes: the build runs them only through {@link QuantizerContractTest}).
 */
final class BrokenQuantizers {
  private BrokenQuantizers() {}

  /** The sign quantizer takes no settings. */
  record Config() {}

  /** How each variant goes wrong. */
  enum Fault {
    NONE, TOUCHES_A_SKIPPED_LAYER, PACKS_ANOTHER_SCALE, SHRINKS_EACH_PASS, MISNAMES_A_LAYER
  }

  static final class SignQuantizer implements Quantizer<Config> {
    private final Fault fault;

    SignQuantizer(Fault fault) {
      this.fault = fault;
    }

    @Override
    public String id() {
      return "sign";
    }

    @Override
    public String description() {
      return "test quantizer: mean|w| * sign(w)";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    private static boolean skips(QuantizableLayer layer) {
      return layer.info().role() != LayerInfo.Role.HIDDEN;
    }

    @Override
    public QuantizationSummary quantize(Config config, List<QuantizableLayer> layers) {
      List<QuantizationSummary.Layer> out = new ArrayList<>();
      for (QuantizableLayer layer : layers) {
        NDArray array = layer.weight().getArray();
        float[] w = array.toFloatArray();
        String name = fault == Fault.MISNAMES_A_LAYER && out.isEmpty() ? "first" : layer.info().name();
        if (skips(layer)) {
          if (fault == Fault.TOUCHES_A_SKIPPED_LAYER && layer.info().role() == LayerInfo.Role.INPUT) {
            w[0] += 1f;
            array.set(w);
          }
          out.add(new QuantizationSummary.Layer(name, w.length, false, 32, 0, 0, 4L * w.length));
          continue;
        }
        double sum = 0;
        for (float v : w) {
          sum += Math.abs(v);
        }
        float alpha = (float) (sum / w.length) * (fault == Fault.SHRINKS_EACH_PASS ? 0.5f : 1f);
        double err = 0;
        double norm = 0;
        for (int j = 0; j < w.length; j++) {
          float q = w[j] >= 0 ? alpha : -alpha;
          err += (w[j] - q) * (w[j] - q);
          norm += w[j] * w[j];
          w[j] = q;
        }
        array.set(w);
        out.add(new QuantizationSummary.Layer(name, w.length, true, 1, 0, err / norm, (w.length + 7) / 8 + 4));
      }
      return new QuantizationSummary(out);
    }

    @Override
    public Optional<PackedTensor> pack(Config config, QuantizableLayer layer) {
      if (skips(layer)) {
        return Optional.empty();
      }
      float[] w = layer.weight().getArray().toFloatArray();
      float alpha = Math.abs(w[0]) * (fault == Fault.PACKS_ANOTHER_SCALE ? 1.001f : 1f);
      byte[] codes = new byte[w.length];
      for (int j = 0; j < w.length; j++) {
        codes[j] = w[j] > 0 ? (byte) 1 : (byte) 0;
      }
      int[] shape = java.util.Arrays.stream(layer.weight().getArray().getShape().getShape())
          .mapToInt(Math::toIntExact).toArray();
      return Optional.of(new PackedTensor(layer.info().name(), shape, PackedTensor.BINARY, 2, new float[] {alpha},
          Packing.pack(codes, 2), w.length));
    }
  }

  abstract static class Contract extends QuantizerContract<Config> {
    abstract Fault fault();

    @Override
    protected Quantizer<Config> quantizer() {
      return new SignQuantizer(fault());
    }

    @Override
    protected List<Config> configs() {
      return List.of(new Config());
    }
  }

  static class Correct extends Contract {
    @Override
    Fault fault() {
      return Fault.NONE;
    }
  }

  static class TouchesASkippedLayer extends Contract {
    @Override
    Fault fault() {
      return Fault.TOUCHES_A_SKIPPED_LAYER;
    }
  }

  static class PacksAnotherScale extends Contract {
    @Override
    Fault fault() {
      return Fault.PACKS_ANOTHER_SCALE;
    }
  }

  static class ShrinksEachPass extends Contract {
    @Override
    Fault fault() {
      return Fault.SHRINKS_EACH_PASS;
    }
  }

  static class MisnamesALayer extends Contract {
    @Override
    Fault fault() {
      return Fault.MISNAMES_A_LAYER;
    }
  }
}
