package io.qrbench.runner;

import io.qrbench.eval.CaseEvaluator;
import io.qrbench.eval.CraftedImages;
import io.qrbench.eval.ImageSeeds;
import io.qrbench.io.AtomicFiles;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Metrics;
import io.qrbench.result.ShardInfo;
import io.qrbench.result.UnitPartial;
import io.qrbench.suite.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      Metrics m = evaluateInSteps(model, attacked, plan, seed, crafted);
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

  /** The folder, inside a run's folder, that holds the finished batches of unfinished cases. */
  static final String PARTS = ".case-parts";

  /**
   * A case's passes per image from which its batches are kept as they finish: iterative attacks
   * (PGD-10 estimates 34), not noises or FGSM, whose whole case takes seconds.
   */
  static final double KEEP_BATCHES_FROM = 10;

  /**
   * The case's metrics. A costly case ({@link #KEEP_BATCHES_FROM}) runs batch by batch and writes
   * each finished batch's part to {@code .case-parts/} at once, so that an interrupted run resumed
   * with {@code --resume} goes on from the first batch not done instead of starting the case again:
   * an AutoAttack case on 10,000 images is hours. The parts make the metrics as a shard merge does
   * ({@link UnitPartial#metrics}), equal bit for bit to one pass over every batch.
   */
  private Metrics evaluateInSteps(
      LoadedModel model,
      Supplier<LoadedModel> attacked,
      CasePlan plan,
      long seed,
      CraftedImages crafted) {
    int n = evaluator.images();
    if (plan.passesPerImage() < KEEP_BATCHES_FROM || n <= suite.batchSize()) {
      return evaluator.evaluate(
          model, attacked, plan.perturbation().plugin(), plan.level().config(), seed, crafted);
    }
    Path file = partsFile(outDir, plan.id());
    List<UnitPartial> parts = new ArrayList<>(readParts(file, n));
    int next = parts.isEmpty() ? 0 : parts.get(parts.size() - 1).to();
    if (next > 0) {
      listener.info(
          "  "
              + plan.id()
              + ": "
              + next
              + " of "
              + n
              + " images kept from the interrupted run, going on from there");
      listener.imagesDone(next);
    }
    while (next < n) {
      int to = Math.min(n, next + suite.batchSize());
      parts.add(
          evaluator.evaluate(
              model,
              attacked,
              plan.perturbation().plugin(),
              plan.level().config(),
              seed,
              crafted,
              next,
              to));
      next = to;
      if (next < n) {
        writeParts(file, parts);
      }
    }
    Metrics m = UnitPartial.metrics(parts, n);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale parts file is cleared with the run's next fresh start
    }
    return m;
  }

  /** Where the finished batches of case {@code id} wait for the rest. */
  static Path partsFile(Path outDir, String id) {
    StringBuilder b = new StringBuilder();
    for (char c : id.toCharArray()) {
      b.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
    }
    // distinct ids may map to one safe name: a hash of the id keeps them apart
    return outDir.resolve(PARTS).resolve(b + "-" + Integer.toHexString(id.hashCode()) + ".json");
  }

  /** Deletes every case's kept batches: a fresh run, or a resumed one whose weights changed. */
  static void clearParts(Path outDir) {
    Path root = outDir.resolve(PARTS);
    if (!Files.isDirectory(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(root)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(root);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot delete the kept batches in " + root, e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      io.qrbench.io.JsonMappers.data();

  /**
   * The parts kept for a case, contiguous from image 0; none when there is no file, or when it does
   * not hold such parts of a case of {@code n} images (then the case starts over: a damaged file
   * costs time, never a wrong number).
   */
  private List<UnitPartial> readParts(Path file, int n) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      UnitPartial[] read = JSON.readValue(file.toFile(), UnitPartial[].class);
      int next = 0;
      for (UnitPartial p : read) {
        if (p.from() != next || p.to() <= p.from() || p.to() > n) {
          throw new IOException(
              "parts not contiguous from image 0 at [" + p.from() + ", " + p.to() + ")");
        }
        next = p.to();
      }
      return List.of(read);
    } catch (IOException | RuntimeException e) {
      listener.info(
          "  ignoring the kept batches in "
              + file
              + " ("
              + e.getMessage()
              + "): the case starts over");
      return List.of();
    }
  }

  private static void writeParts(Path file, List<UnitPartial> parts) {
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, JSON.writeValueAsBytes(parts));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the finished batches in " + file, e);
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
