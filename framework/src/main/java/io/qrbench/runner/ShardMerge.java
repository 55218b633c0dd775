package io.qrbench.runner;

import io.qrbench.ConfigException;
import io.qrbench.check.Checks;
import io.qrbench.io.IoErrors;
import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.ModelResult;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.Session;
import io.qrbench.result.ShardInfo;
import io.qrbench.result.ShardInfo.UnitRef;
import io.qrbench.result.ShardInfo.UnitResult;
import io.qrbench.result.SpeedResult;
import io.qrbench.result.UnitPartial;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.util.FolderLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts the shards of a run ({@code qrbench run --shard K/N}) back together into the results of the
 * whole run ({@code qrbench merge}): it refuses, naming the folder and the problem and writing
 * nothing, shards that are not all there exactly once, of one suite, seed, limit and version, and
 * finished. Each case's metrics are made from its ranges' parts by {@link UnitPartial#metrics}, the
 * code a whole run makes them with, so they equal a whole run's bit for bit; seconds are the sum of
 * the ranges' seconds.
 */
public final class ShardMerge {
  private ShardMerge() {}

  /** A shard read from its folder. */
  private record Read(Path dir, RunResult result) {
    ShardInfo shard() {
      return result.shard();
    }
  }

  /**
   * Merges the shards in {@code shardDirs} into {@code outDir}: results.json, then (when the suite
   * in the shards' results can be read again with {@code loader}) the suite's checks and reports.
   *
   * @throws ConfigException naming the folder and the problem when the shards cannot be merged;
   *     nothing is written then
   */
  public static RunResult merge(
      List<Path> shardDirs, Path outDir, SuiteLoader loader, Consumer<String> said) {
    List<Read> shards = read(shardDirs);
    checkOutput(outDir, shardDirs);
    checkSame(shards);
    Map<Integer, Read> byIndex = checkIndices(shards);
    checkCoverage(byIndex);
    RunResult merged = assemble(byIndex);
    Suite suite = suite(merged, loader, said);
    if (suite != null && !suite.checks().isEmpty()) {
      merged = merged.withChecks(Checks.evaluate(suite.checks(), merged));
    }
    try {
      Files.createDirectories(outDir);
      ResultsJson.write(merged, outDir.resolve(Runner.RESULTS_FILE));
    } catch (IOException e) {
      throw new io.qrbench.QrbenchException(
          "cannot write the merged results to " + outDir + ": " + IoErrors.describe(e, outDir), e);
    }
    said.accept("wrote " + outDir.resolve(Runner.RESULTS_FILE));
    if (suite != null) {
      Reports.write(suite.reports(), merged, outDir, said);
    }
    return merged;
  }

  private static List<Read> read(List<Path> dirs) {
    if (dirs.isEmpty()) {
      throw new ConfigException("merge: name the shards' folders");
    }
    List<Read> out = new ArrayList<>();
    for (Path dir : dirs) {
      Path file = dir.resolve(Runner.RESULTS_FILE);
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(
            dir
                + ": no "
                + Runner.RESULTS_FILE
                + "; pass the --out folder of each 'qrbench run --shard K/N'");
      }
      String holder = lockHolder(dir);
      if (holder != null) {
        throw new ConfigException(
            dir
                + ": a run is still writing it, or was killed while writing it (its lock file "
                + dir.resolve(FolderLock.FILE)
                + " names "
                + holder.strip().replace('\n', ' ')
                + "); wait for it to finish, or finish it with 'qrbench run ... --resume'");
      }
      RunResult r = ResultsJson.read(file);
      if (r.shard() == null) {
        throw new ConfigException(
            dir
                + ": holds a whole run, not a shard; merge the folders of 'qrbench run --shard K/N'");
      }
      String k = "shard " + r.shard().index() + "/" + r.shard().count();
      if (r.status() == RunStatus.RUNNING) {
        throw new ConfigException(
            dir
                + ": "
                + k
                + " is still running or was interrupted (status running); finish it with 'qrbench run SUITE --shard "
                + r.shard().index()
                + "/"
                + r.shard().count()
                + " --out "
                + dir
                + " --resume'");
      }
      if (r.status() == RunStatus.FAILED) {
        String why =
            r.shard().units().stream()
                .filter(u -> !u.ok())
                .findFirst()
                .map(u -> ": " + u.unit().id() + ": " + u.result().error())
                .orElse("");
        throw new ConfigException(
            dir
                + ": "
                + k
                + " failed"
                + why
                + "; run it again with --resume (failed units run again), then merge");
      }
      out.add(new Read(dir, r));
    }
    return out;
  }

  /** The lock file's content when it names a holder, null when the folder is free. */
  private static String lockHolder(Path dir) {
    Path lock = dir.resolve(FolderLock.FILE);
    try {
      if (Files.isRegularFile(lock) && Files.size(lock) > 0) {
        String s = Files.readString(lock);
        return s.isBlank() ? null : s;
      }
      return null;
    } catch (IOException e) {
      return "a holder whose lock file cannot be read (" + e.getMessage() + ")";
    }
  }

  private static void checkOutput(Path outDir, List<Path> shardDirs) {
    if (Files.exists(outDir.resolve(Runner.RESULTS_FILE))) {
      throw new ConfigException(
          "--out " + outDir + ": already holds results; name a new folder for the merged run");
    }
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new ConfigException("--out " + outDir + ": is a file, not a folder; name a folder");
    }
    for (Path d : shardDirs) {
      if (d.toAbsolutePath().normalize().equals(outDir.toAbsolutePath().normalize())) {
        throw new ConfigException(
            "--out " + outDir + ": is one of the shards; name a new folder for the merged run");
      }
    }
  }

  /** Every shard must come from the first's suite, seed, limit, version and plan. */
  private static void checkSame(List<Read> shards) {
    Read first = shards.get(0);
    ShardInfo a = first.shard();
    for (Read other : shards.subList(1, shards.size())) {
      ShardInfo b = other.shard();
      differ(first, other, "seed", a.seed(), b.seed());
      differ(first, other, "image limit", a.limit(), b.limit());
      differ(first, other, "qrbench version", a.version(), b.version());
      differ(first, other, "number of shards", a.count(), b.count());
      differ(
          first,
          other,
          "suite fingerprint (suite text or weights)",
          a.fingerprint(),
          b.fingerprint());
      if (!a.plan().equals(b.plan())) {
        throw new ConfigException(
            other.dir()
                + ": splits the run differently from "
                + first.dir()
                + " (another batch size or image count); run every shard with the same qrbench and suite");
      }
    }
  }

  private static void differ(Read first, Read other, String what, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      throw new ConfigException(
          other.dir()
              + ": its "
              + what
              + " is "
              + b
              + " but "
              + first.dir()
              + "'s is "
              + a
              + "; shards of different runs cannot be merged: run every shard with the same suite, --seed, --limit and qrbench");
    }
  }

  private static Map<Integer, Read> checkIndices(List<Read> shards) {
    Map<Integer, Read> byIndex = new TreeMap<>();
    int count = shards.get(0).shard().count();
    for (Read r : shards) {
      Read seen = byIndex.put(r.shard().index(), r);
      if (seen != null) {
        throw new ConfigException(
            r.dir()
                + ": is shard "
                + r.shard().index()
                + "/"
                + count
                + " again, as is "
                + seen.dir()
                + " (a duplicate); pass each shard once");
      }
    }
    List<String> missing = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      if (!byIndex.containsKey(k)) {
        missing.add(k + "/" + count);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "merge: shard "
              + String.join(", ", missing)
              + " missing (given: "
              + byIndex.values().stream()
                  .map(r -> r.dir() + " = " + r.shard().index() + "/" + count)
                  .reduce((x, y) -> x + ", " + y)
                  .orElse("")
              + "); pass the folders of all "
              + count
              + " shards");
    }
    return byIndex;
  }

  /** Every unit of the plan finished exactly once, by the shard it was planned for. */
  private static void checkCoverage(Map<Integer, Read> byIndex) {
    Map<String, Read> doneBy = new LinkedHashMap<>();
    for (Read r : byIndex.values()) {
      for (UnitResult u : r.shard().units()) {
        Read seen = doneBy.put(u.unit().id(), r);
        if (seen != null || u.unit().shard() != r.shard().index()) {
          throw new ConfigException(
              r.dir()
                  + ": holds unit "
                  + u.unit().id()
                  + (seen != null
                      ? ", which " + seen.dir() + " holds too"
                      : ", which the plan gives to shard " + u.unit().shard())
                  + " (units overlap); pass each shard's own folder once");
        }
      }
    }
    for (Read r : byIndex.values()) {
      for (UnitRef u : r.shard().plan()) {
        if (!doneBy.containsKey(u.id())) {
          Read owner = byIndex.get(u.shard());
          throw new ConfigException(
              owner.dir()
                  + ": shard "
                  + u.shard()
                  + "/"
                  + r.shard().count()
                  + " has not finished unit "
                  + u.id()
                  + "; finish it with 'qrbench run SUITE --shard "
                  + u.shard()
                  + "/"
                  + r.shard().count()
                  + " --out "
                  + owner.dir()
                  + " --resume'");
        }
      }
      return; // every shard's plan is the same
    }
  }

  private static RunResult assemble(Map<Integer, Read> byIndex) {
    Read first = byIndex.values().iterator().next();
    ShardInfo info = first.shard();
    int images = first.result().suite().images();
    Map<String, List<UnitResult>> byCase = new LinkedHashMap<>();
    Map<String, UnitResult> found = new LinkedHashMap<>();
    byIndex.values().forEach(r -> r.shard().units().forEach(u -> found.put(u.unit().id(), u)));
    for (UnitRef u : info.plan()) {
      if (!u.speed()) {
        byCase.computeIfAbsent(u.caseId(), c -> new ArrayList<>()).add(found.get(u.id()));
      }
    }
    List<CaseResult> cases = new ArrayList<>();
    byCase.forEach(
        (id, units) -> {
          CaseResult any = units.get(0).result();
          cases.add(
              new CaseResult(
                  any.id(),
                  any.model(),
                  any.perturbation(),
                  any.perturbationId(),
                  any.level(),
                  any.params(),
                  CaseStatus.OK,
                  null,
                  UnitPartial.metrics(units.stream().map(UnitResult::partial).toList(), images)));
        });
    List<ModelResult> models = new ArrayList<>();
    List<SpeedResult> speed = new ArrayList<>();
    for (String name : info.models()) {
      byIndex.values().stream()
          .flatMap(r -> r.result().models().stream())
          .filter(m -> m.name().equals(name))
          .findFirst()
          .ifPresent(models::add);
      UnitRef timed =
          info.plan().stream()
              .filter(u -> u.caseId().equals(UnitRef.SPEED + name))
              .findFirst()
              .orElse(null);
      if (timed != null) {
        byIndex.get(timed.shard()).result().speed().stream()
            .filter(s -> s.model().equals(name))
            .forEach(speed::add);
      }
    }
    List<Session> sessions = new ArrayList<>();
    byIndex.values().forEach(r -> sessions.addAll(r.result().sessions()));
    String startedAt =
        byIndex.values().stream()
            .map(r -> Instant.parse(r.result().startedAt()))
            .min(Instant::compareTo)
            .orElseThrow()
            .toString();
    String finishedAt =
        byIndex.values().stream()
            .map(r -> r.result().finishedAt())
            .filter(Objects::nonNull)
            .map(Instant::parse)
            .max(Instant::compareTo)
            .map(Instant::toString)
            .orElse(Instant.now().toString());
    return new RunResult(
        RunResult.SCHEMA,
        first.result().suite(),
        first.result().environment(),
        RunStatus.COMPLETE,
        startedAt,
        finishedAt,
        sessions.stream().mapToDouble(Session::seconds).sum(),
        models,
        cases,
        List.of(),
        speed,
        sessions);
  }

  /** The suite again from the text kept in the results, for its checks and reports; or null. */
  private static Suite suite(RunResult merged, SuiteLoader loader, Consumer<String> said) {
    io.qrbench.result.SuiteInfo info = merged.suite();
    try {
      Path file = Path.of(info.file());
      Path base = file.toAbsolutePath().getParent();
      Suite s = loader.parse(info.file(), info.yaml(), base);
      s = s.withSeed(info.seed());
      if (info.limit() != null) {
        s = s.withLimit(info.limit());
      }
      return s;
    } catch (RuntimeException e) {
      said.accept(
          "the suite kept in the shards' results cannot be read here ("
              + Runner.describe(e)
              + "); wrote results.json without checks or reports: make them with 'qrbench report'");
      return null;
    }
  }
}
