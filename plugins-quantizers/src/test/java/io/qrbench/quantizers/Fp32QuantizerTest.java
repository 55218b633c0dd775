package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.qrbench.nn.WeightTensors;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.spi.EmptyConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Fp32QuantizerTest {

  @Test
  void leavesEveryParameterBitIdenticalAndReportsConvAndDenseKernels() {
    SequentialBlock block =
        new SequentialBlock()
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
            .add(BatchNorm.builder().build())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(3).build());
    try (Model model = Model.newInstance("m")) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2, 5, 5));
      // make a few weights exactly zero to check the sparsity count
      Parameter conv = block.getParameters().get(0).getValue();
      conv.getArray().set(new ai.djl.ndarray.index.NDIndex("0"), 0f);
      List<float[]> before = new ArrayList<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        before.add(p.getValue().getArray().toFloatArray());
      }
      QuantizationSummary s =
          new Fp32Quantizer().quantize(new EmptyConfig(), WeightTensors.asLayers(block));
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(
            before.get(i), block.getParameters().get(i).getValue().getArray().toFloatArray());
      }
      assertEquals(
          2, s.layers().size(), "the conv and dense kernels; BatchNorm and biases are not weights");
      QuantizationSummary.Layer c = s.layers().get(0);
      assertEquals(4 * 2 * 3 * 3, c.parameters());
      assertEquals(18.0 / 72, c.zeroFraction(), 1e-12, "one output channel of 2x3x3 was zeroed");
      assertFalse(c.quantized());
      assertEquals(32.0, s.bitsPerWeight());
      assertEquals(72 + 3 * 4 * 3 * 3, s.parameters());
    }
  }
}
