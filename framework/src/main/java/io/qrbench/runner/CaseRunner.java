package io.qrbench.runner;

import io.qrbench.eval.CaseEvaluator;
import io.qrbench.eval.CraftedImages;
import io.qrbench.eval.ImageSeeds;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Metrics;
import io.qrbench.result.ShardInfo;
import io.qrbench.result.UnitPartial;
import io.qrbench.suite.Suite;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Evaluates a run's cases on prepared models: each case's seed from the suite's, transfer attacks
 * through the images kept in the output folder, a failure recorded as the case's result.
 */
final class CaseRunner {
  private final Suite suite;
  private final CaseEvaluator evaluator;
  private final RunListener listener;
  private final Path outDir;

  CaseRunner(Suite suite, CaseEvaluator evaluator, RunListener listener, Path outDir) {
    this.suite = suite;
    this.evaluator = evaluator;
    this.listener = listener;
    this.outDir = outDir;
  }

  /**
   * Runs {@code plan} on {@code model}, crafting on {@code attacked} (the model itself, or a
   * transfer attack's source, made when first asked for).
   */
  CaseResult run(LoadedModel model, Supplier<LoadedModel> attacked, CasePlan plan) {
    listener.caseStarted(plan.id(), evaluator.images());
    try {
      long seed =
          ImageSeeds.levelSeed(suite.seed(), plan.perturbation().name(), plan.level().seedLabel());
      CraftedImages crafted =
          plan.perturbation().source() == null
              ? null
              : CraftedImages.of(outDir, plan.perturbation().name(), plan.level().label());
      Metrics m =
          evaluator.evaluate(
              model, attacked, plan.perturbation().plugin(), plan.level().config(), seed, crafted);
      return new CaseResult(
          plan.id(),
          plan.model().name(),
          plan.perturbation().name(),
          plan.perturbation().plugin().id(),
          plan.level().result(),
          plan.level().params(),
          CaseStatus.OK,
          null,
          m);
    } catch (RuntimeException e) {
      return failed(plan, Runner.describe(e));
    }
  }

  /**
   * Runs {@code plan} on the images of {@code unit} only, for one shard of a run: the batches, and
   * so the images' seeds, are those of a whole run.
   */
  ShardInfo.UnitResult run(
      LoadedModel model, Supplier<LoadedModel> attacked, CasePlan plan, ShardInfo.UnitRef unit) {
    listener.caseStarted(unit.id(), unit.to() - unit.from());
    try {
      long seed =
          ImageSeeds.levelSeed(suite.seed(), plan.perturbation().name(), plan.level().seedLabel());
      CraftedImages crafted =
          plan.perturbation().source() == null
              ? null
              : CraftedImages.of(outDir, plan.perturbation().name(), plan.level().label());
      UnitPartial part =
          evaluator.evaluate(
              model,
              attacked,
              plan.perturbation().plugin(),
              plan.level().config(),
              seed,
              crafted,
              unit.from(),
              unit.to());
      CaseResult r =
          new CaseResult(
              plan.id(),
              plan.model().name(),
              plan.perturbation().name(),
              plan.perturbation().plugin().id(),
              plan.level().result(),
              plan.level().params(),
              CaseStatus.OK,
              null,
              part.rangeMetrics());
      return new ShardInfo.UnitResult(unit, r, part);
    } catch (RuntimeException e) {
      return new ShardInfo.UnitResult(unit, failed(plan, Runner.describe(e)), null);
    }
  }

  static CaseResult failed(CasePlan plan, String error) {
    return new CaseResult(
        plan.id(),
        plan.model().name(),
        plan.perturbation().name(),
        plan.perturbation().plugin().id(),
        plan.level().result(),
        plan.level().params(),
        CaseStatus.FAILED,
        error,
        null);
  }
}
