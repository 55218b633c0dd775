package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.qrbench.nn.LayerInfo;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;

/**
 * A correct linear classifier and variants of it that each break one promise, with the contract
 * tests that run them (nested classes: the build runs them only through {@link
 * ModelProviderContractTest}).
 */
final class BrokenModels {
  private BrokenModels() {}

  /** The linear model takes no settings. */
  record Config() {}

  /** How each variant goes wrong. */
  enum Fault {
    NONE,
    BATCH_STATISTICS,
    NOISE_AT_INFERENCE,
    OWN_LAYER,
    ONE_LOGIT_TOO_MANY
  }

  static final class LinearModel implements ModelProvider<Config> {
    private final Fault fault;

    LinearModel(Fault fault) {
      this.fault = fault;
    }

    @Override
    public String id() {
      return "linear";
    }

    @Override
    public String description() {
      return "test model: one dense layer on the flattened image";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public Block build(Config config, ModelContext context) {
      int classes = context.input().classes() + (fault == Fault.ONE_LOGIT_TOO_MANY ? 1 : 0);
      SequentialBlock b = new SequentialBlock();
      if (fault == Fault.BATCH_STATISTICS) {
        b.add(
            new LambdaBlock(
                x ->
                    new NDList(
                        x.singletonOrThrow().sub(x.singletonOrThrow().mean(new int[] {0}, true)))));
      } else if (fault == Fault.NOISE_AT_INFERENCE) {
        b.add(
            new LambdaBlock(
                x -> {
                  NDArray a = x.singletonOrThrow();
                  return new NDList(a.add(a.getManager().randomUniform(0f, 0.1f, a.getShape())));
                }));
      }
      b.add(Blocks.batchFlattenBlock());
      return b.add(
          fault == Fault.OWN_LAYER
              ? Linear.builder().setUnits(classes).build()
              : context.layers().linear("fc", LayerInfo.Role.OUTPUT, classes, true));
    }
  }

  abstract static class Contract extends ModelProviderContract<Config> {
    abstract Fault fault();

    @Override
    protected ModelProvider<Config> provider() {
      return new LinearModel(fault());
    }

    @Override
    protected Config config() {
      return new Config();
    }

    @Override
    protected ModelInput input() {
      return new ModelInput(3, 8, 8, 4);
    }
  }

  static class Correct extends Contract {
    @Override
    Fault fault() {
      return Fault.NONE;
    }
  }

  static class BatchStatistics extends Contract {
    @Override
    Fault fault() {
      return Fault.BATCH_STATISTICS;
    }
  }

  static class NoiseAtInference extends Contract {
    @Override
    Fault fault() {
      return Fault.NOISE_AT_INFERENCE;
    }
  }

  static class OwnLayer extends Contract {
    @Override
    Fault fault() {
      return Fault.OWN_LAYER;
    }
  }

  static class OneLogitTooMany extends Contract {
    @Override
    Fault fault() {
      return Fault.ONE_LOGIT_TOO_MANY;
    }
  }
}
