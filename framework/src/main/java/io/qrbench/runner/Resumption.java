package io.qrbench.runner;

import io.qrbench.ConfigException;
import io.qrbench.result.RunResult;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.suite.Suite.PerturbationEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what a run keeps of the results already in its output folder. Suites are compared by
 * {@link Suite#definition()} and {@link Suite#fingerprint(Map)}, both taken from the bound suite:
 * what decides the numbers, not how the YAML was written.
 */
final class Resumption {
  private Resumption() {}

  /**
   * What a resumed run keeps of the results found: all of them, or, where only some weights
   * changed, what those weights did not touch.
   *
   * @param kept the earlier results less what must run again
   * @param changed the models whose weights changed, in suite order; empty when none did
   */
  record Resumed(RunResult kept, List<String> changed) {}

  /**
   * The results to keep from {@code resultsFile}, or null to start afresh.
   *
   * @throws ConfigException when the file holds results and the options neither resume nor
   *     overwrite, or when it holds results of another suite
   */
  static Resumed previous(
      Suite suite,
      Map<String, String> digests,
      String fingerprint,
      String definition,
      Runner.Options options,
      Path resultsFile) {
    if (!Files.exists(resultsFile)) {
      return null;
    }
    if (!options.resume()) {
      if (options.overwrite()) {
        return null;
      }
      throw new ConfigException(
          resultsFile
              + " already holds results; pass --resume to continue "
              + "that run, --overwrite to replace it, or --out to write elsewhere");
    }
    RunResult r = ResultsJson.read(resultsFile);
    Runner.Shard was =
        r.shard() == null ? null : new Runner.Shard(r.shard().index(), r.shard().count());
    if (!java.util.Objects.equals(was, options.shard())) {
      throw new ConfigException(
          resultsFile
              + " holds "
              + (was == null ? "a whole run" : "shard " + was + " of a run")
              + ", not "
              + (options.shard() == null ? "a whole run" : "shard " + options.shard())
              + "; resume with the same --shard, or use another --out");
    }
    // results written before fingerprints were taken from the bound suite carry the old ones
    if (fingerprint.equals(r.suite().fingerprint())
        || suite.legacyFingerprint(digests).equals(r.suite().fingerprint())) {
      return new Resumed(r, List.of());
    }
    if (r.suite().definition() == null
        || !(r.suite().definition().equals(definition)
            || r.suite().definition().equals(suite.legacyDefinition()))) {
      throw new ConfigException(
          resultsFile
              + " holds results of a different suite, seed, limit or weights ('"
              + r.suite().name()
              + "'); resume with the same suite and options, or use another --out");
    }
    List<String> changed =
        suite.models().stream()
            .map(ModelEntry::name)
            .filter(m -> !java.util.Objects.equals(digests.get(m), r.suite().weights().get(m)))
            .toList();
    return new Resumed(withoutModels(suite, r, changed), changed);
  }

  /**
   * {@code r} less everything that depends on the {@code changed} models: their records, speed and
   * cases, and every model's cases of transfer attacks crafted on them.
   */
  private static RunResult withoutModels(Suite suite, RunResult r, List<String> changed) {
    Set<String> fromChanged =
        suite.perturbations().stream()
            .filter(p -> p.source() != null && changed.contains(p.source()))
            .map(PerturbationEntry::name)
            .collect(java.util.stream.Collectors.toSet());
    return new RunResult(
        r.schema(),
        r.suite(),
        r.environment(),
        r.status(),
        r.startedAt(),
        r.finishedAt(),
        r.wallSeconds(),
        r.models().stream().filter(m -> !changed.contains(m.name())).toList(),
        r.cases().stream()
            .filter(c -> !changed.contains(c.model()) && !fromChanged.contains(c.perturbation()))
            .toList(),
        r.checks(),
        r.speed().stream().filter(s -> !changed.contains(s.model())).toList());
  }
}
