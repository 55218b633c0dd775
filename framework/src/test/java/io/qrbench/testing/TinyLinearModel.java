package io.qrbench.testing;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;

/**
 * A linear classifier on flattened pixels (its loss gradient is known in closed form), or with
 * {@code hidden > 0} a one-hidden-layer perceptron.
 */
public final class TinyLinearModel implements ModelProvider<TinyLinearModel.Config> {
  /** Models built so far, by every instance: tests compare it before and after a run. */
  public static final java.util.concurrent.atomic.AtomicInteger BUILDS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The threads the last model was built with ({@link ModelContext#threads()}). */
  public static final java.util.concurrent.atomic.AtomicInteger THREADS =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param hidden units of a hidden layer; 0 for none
   */
  public record Config(Integer hidden) {
    public Config {
      hidden = hidden == null ? 0 : hidden;
    }
  }

  @Override
  public String id() {
    return "tiny-linear";
  }

  @Override
  public String description() {
    return "test model: flatten then one dense layer (or two)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Block build(Config config, ModelContext context) {
    BUILDS.incrementAndGet();
    THREADS.set(context.threads());
    SequentialBlock b = new SequentialBlock().add(Blocks.batchFlattenBlock());
    if (config.hidden() > 0) {
      b.add(context.layers().linear("hidden", LayerInfo.Role.INPUT, config.hidden(), true))
          .add(Activation.reluBlock());
    }
    return b.add(
        context.layers().linear("dense", LayerInfo.Role.OUTPUT, context.input().classes(), true));
  }

  /** Builds the linear model with plain layers, outside a run. */
  public static Block plain(ModelInput input) {
    return new TinyLinearModel()
        .build(
            new Config(0),
            new ModelContext(input, Layers.plain(), null, java.util.Optional.empty()));
  }
}
