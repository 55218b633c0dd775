package io.qrbench.testing;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.ModelContext;
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
  public Block build(EmptyConfig config, ModelContext context) {
    return new SequentialBlock().add(Blocks.batchFlattenBlock())
        .add(context.layers().linear("dense", LayerInfo.Role.OUTPUT, context.input().classes(), true));
  }

  /** Builds the model with plain layers, outside a run. */
  public static Block plain(ModelInput input) {
    return new TinyLinearModel().build(new EmptyConfig(),
        new ModelContext(input, Layers.plain(), null, java.util.Optional.empty()));
  }
}
