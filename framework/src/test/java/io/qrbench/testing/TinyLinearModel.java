package io.qrbench.testing;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;

/** A linear classifier on flattened pixels: its loss gradient is known in closed form. */
public final class TinyLinearModel implements ModelProvider<EmptyConfig> {
  @Override
  public String id() {
    return "tiny-linear";
  }

  @Override
  public String description() {
    return "test model: flatten then one dense layer";
  }

  @Override
  public Class<EmptyConfig> configType() {
    return EmptyConfig.class;
  }

  @Override
  public Block build(EmptyConfig config, ModelInput input) {
    return new SequentialBlock().add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(input.classes()).build());
  }
}
