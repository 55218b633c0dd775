package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import io.qrbench.nn.LayerHook;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.nn.WeightTransform;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.Quantizer;
import io.qrbench.spi.packed.Decoding;
import io.qrbench.spi.packed.PackedTensor;
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
    NONE,
    TOUCHES_A_SKIPPED_LAYER,
    PACKS_ANOTHER_SCALE,
    SHRINKS_EACH_PASS,
    MISNAMES_A_LAYER,
    HOOK_QUANTIZES_ANOTHER_WAY,
    HOOK_ON_A_SKIPPED_LAYER
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
        String name =
            fault == Fault.MISNAMES_A_LAYER && out.isEmpty() ? "first" : layer.info().name();
        if (skips(layer)) {
          if (fault == Fault.TOUCHES_A_SKIPPED_LAYER
              && layer.info().role() == LayerInfo.Role.INPUT) {
            w[0] += 1f;
            array.set(w);
          }
          out.add(new QuantizationSummary.Layer(name, w.length, false, 32, 0, 0, 4L * w.length));
          continue;
        }
        float[] q = signOf(w, fault == Fault.SHRINKS_EACH_PASS ? 0.5f : 1f);
        double err = 0;
        double norm = 0;
        for (int j = 0; j < w.length; j++) {
          err += (w[j] - q[j]) * (w[j] - q[j]);
          norm += w[j] * w[j];
        }
        array.set(q);
        out.add(
            new QuantizationSummary.Layer(
                name, w.length, true, 1, 0, err / norm, (w.length + 7) / 8 + 4));
      }
      return new QuantizationSummary(out);
    }

    /** factor * mean|w| * sign(w). */
    private static float[] signOf(float[] w, float factor) {
      double sum = 0;
      for (float v : w) {
        sum += Math.abs(v);
      }
      float alpha = (float) (sum / w.length) * factor;
      float[] q = new float[w.length];
      for (int j = 0; j < w.length; j++) {
        q[j] = w[j] >= 0 ? alpha : -alpha;
      }
      return q;
    }

    /**
     * The same function, straight-through (this quantizer keeps no state, so quantize() need not
     * ask it).
     */
    @Override
    public Optional<LayerHook> trainingHook(Config config) {
      float factor =
          fault == Fault.HOOK_QUANTIZES_ANOTHER_WAY
              ? 0.9f
              : fault == Fault.SHRINKS_EACH_PASS ? 0.5f : 1f;
      return Optional.of(
          layer ->
              layer.role() != LayerInfo.Role.HIDDEN && fault != Fault.HOOK_ON_A_SKIPPED_LAYER
                  ? Optional.empty()
                  : Optional.of(
                      (latent, training) -> {
                        NDArray hard =
                            latent
                                .getManager()
                                .create(signOf(latent.toFloatArray(), factor), latent.getShape());
                        return training ? WeightTransform.straightThrough(latent, hard) : hard;
                      }));
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
      int[] shape =
          java.util.Arrays.stream(layer.weight().getArray().getShape().getShape())
              .mapToInt(Math::toIntExact)
              .toArray();
      return Optional.of(
          PackedTensor.of(
              layer.info().name(), shape, "sign", codes, Decoding.codebook(-alpha, alpha)));
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

  static class HookQuantizesAnotherWay extends Contract {
    @Override
    Fault fault() {
      return Fault.HOOK_QUANTIZES_ANOTHER_WAY;
    }
  }

  static class HookOnASkippedLayer extends Contract {
    @Override
    Fault fault() {
      return Fault.HOOK_ON_A_SKIPPED_LAYER;
    }
  }

  static class MisnamesALayer extends Contract {
    @Override
    Fault fault() {
      return Fault.MISNAMES_A_LAYER;
    }
  }
}
