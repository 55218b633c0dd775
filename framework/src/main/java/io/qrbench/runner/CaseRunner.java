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
      return result(plan, CaseStatus.OK, null, evaluateInSteps(model, attacked, plan));
    } catch (RuntimeException e) {
      return failed(plan, Runner.describe(e));
    }
  }

  /** {@code plan} on images {@code [from, to)}: its seed, and its crafted images for a transfer. */
  private UnitPartial evaluate(
      LoadedModel model, Supplier<LoadedModel> attacked, CasePlan plan, int from, int to) {
    long seed =
        ImageSeeds.levelSeed(suite.seed(), plan.perturbation().name(), plan.level().seedLabel());
    CraftedImages crafted =
        plan.perturbation().source() == null
            ? null
            : CraftedImages.of(outDir, plan.perturbation().name(), plan.level().label());
    return evaluator.evaluate(
        model,
        attacked,
        plan.perturbation().plugin(),
        plan.level().config(),
        seed,
        crafted,
        from,
        to);
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
      LoadedModel model, Supplier<LoadedModel> attacked, CasePlan plan) {
    int n = evaluator.images();
    if (plan.passesPerImage() < KEEP_BATCHES_FROM || n <= suite.batchSize()) {
      return UnitPartial.metrics(List.of(evaluate(model, attacked, plan, 0, n)), n);
    }
    Path dir = partsDir(outDir, plan.id());
    List<UnitPartial> parts = new ArrayList<>(readParts(dir, n));
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
      UnitPartial part = evaluate(model, attacked, plan, next, to);
      parts.add(part);
      if (to < n) {
        writePart(dir, part); // each batch writes its own file once
      }
      next = to;
    }
    Metrics m = UnitPartial.metrics(parts, n);
    deleteTree(dir);
    return m;
  }

  /** Where the finished batches of case {@code id} wait for the rest, a file per batch. */
  static Path partsDir(Path outDir, String id) {
    return outDir.resolve(PARTS).resolve(CraftedImages.safe(id));
  }

  /** Deletes every case's kept batches: a fresh run, or a resumed one whose weights changed. */
  static void clearParts(Path outDir) {
    deleteTree(outDir.resolve(PARTS));
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot delete the kept batches in " + root, e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      io.qrbench.io.JsonMappers.data();

  /**
   * The parts kept for a case, contiguous from image 0; none when there are none, or when they are
   * not such parts of a case of {@code n} images (then the case starts over: a damaged file costs
   * time, never a wrong number).
   */
  private List<UnitPartial> readParts(Path dir, int n) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      List<UnitPartial> read = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        read.add(JSON.readValue(f.toFile(), UnitPartial.class));
      }
      read.sort(java.util.Comparator.comparingInt(UnitPartial::from));
      int next = 0;
      for (UnitPartial p : read) {
        if (p.from() != next || p.to() <= p.from() || p.to() > n) {
          throw new IOException(
              "parts not contiguous from image 0 at [" + p.from() + ", " + p.to() + ")");
        }
        next = p.to();
      }
      return read;
    } catch (IOException | RuntimeException e) {
      listener.info(
          "  ignoring the kept batches in "
              + dir
              + " ("
              + e.getMessage()
              + "): the case starts over");
      return List.of();
    }
  }

  private static void writePart(Path dir, UnitPartial part) {
    Path file = dir.resolve(part.from() + ".json");
    try {
      Files.createDirectories(dir);
      AtomicFiles.write(file, JSON.writeValueAsBytes(part));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the finished batch in " + file, e);
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
      UnitPartial part = evaluate(model, attacked, plan, unit.from(), unit.to());
      return new ShardInfo.UnitResult(
          unit, result(plan, CaseStatus.OK, null, part.rangeMetrics()), part);
    } catch (RuntimeException e) {
      return new ShardInfo.UnitResult(unit, failed(plan, Runner.describe(e)), null);
    }
  }

  static CaseResult failed(CasePlan plan, String error) {
    return result(plan, CaseStatus.FAILED, error, null);
  }

  private static CaseResult result(CasePlan plan, CaseStatus status, String error, Metrics m) {
    return new CaseResult(
        plan.id(),
        plan.model().name(),
        plan.perturbation().name(),
        plan.perturbation().plugin().id(),
        plan.level().result(),
        plan.level().params(),
        status,
        error,
        m);
  }
}
