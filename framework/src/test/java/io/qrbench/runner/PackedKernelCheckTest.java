package io.qrbench.runner;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.qrbench.PluginException;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.packed.Decoding;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.suite.PluginConfig;
import io.qrbench.testing.FakePlugins;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code qrbench quantize} stores a packed kernel only if it decodes, bit for bit, to what was
 * evaluated.
 */
class PackedKernelCheckTest {

  private static final int[] SHAPE = {2, 2};
  private static final byte[] CODES = {2, 0, 1, 2};

  @Test
  void aKernelThatDecodesToTheQuantizedWeightsIsKeptAndOneThatDoesNotIsRefusedByName() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w =
          Parameter.builder()
              .setName("weight")
              .setType(Parameter.Type.WEIGHT)
              .optArray(m.create(new float[] {0.5f, -0.5f, 0f, 0.5f}, new Shape(2, 2)))
              .build();
      QuantizableLayer layer =
          new QuantizableLayer(
              new LayerInfo("body.conv", LayerInfo.Kind.CONV, LayerInfo.Role.HIDDEN),
              w,
              Optional.empty());
      PluginConfig q =
          new PluginConfig(
              PluginKind.QUANTIZER, new FakePlugins.SignQuantizer(), new EmptyConfig(), Map.of());

      PackedTensor right =
          PackedTensor.of("body.conv", SHAPE, "x", CODES, Decoding.grid(3, 1, new float[] {0.5f}));
      assertSame(right, PostTrainingQuantization.checked(q, layer, right));

      PackedTensor scaled =
          PackedTensor.of("body.conv", SHAPE, "x", CODES, Decoding.grid(3, 1, new float[] {0.25f}));
      PluginException e =
          assertThrows(
              PluginException.class, () -> PostTrainingQuantization.checked(q, layer, scaled));
      assertTrue(
          e.getMessage().contains("body.conv")
              && e.getMessage().contains("element 0")
              && e.getMessage().contains(q.id()),
          e.getMessage());

      // -0 where the model has +0: equal as numbers, yet not the same bits
      PackedTensor signedZero =
          PackedTensor.of("body.conv", SHAPE, "x", CODES, Decoding.codebook(-0.5f, -0f, 0.5f));
      e =
          assertThrows(
              PluginException.class, () -> PostTrainingQuantization.checked(q, layer, signedZero));
      assertTrue(e.getMessage().contains("element 2"), e.getMessage());

      PackedTensor wrongSize =
          PackedTensor.of("body.conv", new int[] {5}, "x", new byte[5], Decoding.codebook(0f, 1f));
      assertThrows(
          PluginException.class, () -> PostTrainingQuantization.checked(q, layer, wrongSize));
    }
  }
}
