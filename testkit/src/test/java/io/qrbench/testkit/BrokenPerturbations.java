package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A correct uniform noise and variants of it that each break one promise, with the contract tests
 * that run them (nested classes: the build runs them only through {@link
 * PerturbationContractTest}).
 */
final class BrokenPerturbations {
  private BrokenPerturbations() {}

  /**
   * @param amplitude half-width of the uniform noise
   */
  record Config(double amplitude) {}

  /** How each variant goes wrong. */
  enum Fault {
    NONE,
    GLOBAL_RANDOM,
    INSTANCE_RANDOM,
    ONE_GENERATOR_PER_BATCH,
    BATCH_STATISTICS,
    IN_PLACE,
    UNCLIPPED,
    OUTSIDE_THE_BATCH
  }

  /** x + U(-a, a), clipped, each image from its own generator; or one of the faults. */
  static final class UniformNoise implements Perturbation<Config> {
    /** Shared and unseeded by the image: the classic mistake. */
    private static final Random GLOBAL = new Random(1);

    private static final NDManager ELSEWHERE = NDManager.newBaseManager();

    private final Fault fault;

    /** Seeded, but once per instance: the second batch draws on where the first left off. */
    private final Random own = new Random(1);

    UniformNoise(Fault fault) {
      this.fault = fault;
    }

    @Override
    public String id() {
      return "uniform-noise";
    }

    @Override
    public String description() {
      return "test noise: x + U(-a, a)";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public NDArray apply(Config config, PerturbationContext ctx) {
      float[] x = ctx.images().toFloatArray();
      int n = ctx.batchSize();
      int per = x.length / n;
      double mean = 0;
      for (float v : x) {
        mean += v / x.length;
      }
      SplittableRandom batch = ctx.random(0);
      for (int i = 0; i < n; i++) {
        SplittableRandom r = fault == Fault.ONE_GENERATOR_PER_BATCH ? batch : ctx.random(i);
        for (int j = i * per; j < (i + 1) * per; j++) {
          double u =
              fault == Fault.GLOBAL_RANDOM
                  ? GLOBAL.nextDouble()
                  : fault == Fault.INSTANCE_RANDOM ? own.nextDouble() : r.nextDouble();
          double a =
              fault == Fault.BATCH_STATISTICS ? config.amplitude() * 2 * mean : config.amplitude();
          float v = x[j] + (float) ((2 * u - 1) * a);
          x[j] = fault == Fault.UNCLIPPED ? v : Math.min(1f, Math.max(0f, v));
        }
      }
      if (fault == Fault.IN_PLACE) {
        ctx.images().set(x);
        return ctx.images();
      }
      NDManager m = fault == Fault.OUTSIDE_THE_BATCH ? ELSEWHERE : ctx.manager();
      return m.create(x, ctx.images().getShape());
    }
  }

  abstract static class Contract extends PerturbationContract<Config> {
    abstract Fault fault();

    @Override
    protected Perturbation<Config> perturbation() {
      return new UniformNoise(fault());
    }

    @Override
    protected Config config() {
      return new Config(0.2);
    }
  }

  static class Correct extends Contract {
    @Override
    Fault fault() {
      return Fault.NONE;
    }
  }

  static class GlobalRandom extends Contract {
    @Override
    Fault fault() {
      return Fault.GLOBAL_RANDOM;
    }
  }

  static class InstanceRandom extends Contract {
    @Override
    Fault fault() {
      return Fault.INSTANCE_RANDOM;
    }
  }

  static class OneGeneratorPerBatch extends Contract {
    @Override
    Fault fault() {
      return Fault.ONE_GENERATOR_PER_BATCH;
    }
  }

  static class BatchStatistics extends Contract {
    @Override
    Fault fault() {
      return Fault.BATCH_STATISTICS;
    }
  }

  static class InPlace extends Contract {
    @Override
    Fault fault() {
      return Fault.IN_PLACE;
    }
  }

  static class Unclipped extends Contract {
    @Override
    Fault fault() {
      return Fault.UNCLIPPED;
    }
  }

  static class OutsideTheBatch extends Contract {
    @Override
    Fault fault() {
      return Fault.OUTSIDE_THE_BATCH;
    }
  }
}
