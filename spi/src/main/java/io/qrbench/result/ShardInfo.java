package io.qrbench.result;

import java.util.List;

/**
 * What makes a results file one shard of a run ({@code qrbench run --shard K/N}), and what {@code
 * qrbench merge} needs to put the shards back together: who they belong to, the whole plan (so that
 * a missing or duplicate piece shows), and the pieces this shard finished.
 *
 * @param index K, from 1
 * @param count N, the number of shards
 * @param fingerprint the suite's fingerprint (suite text, seed, limit, weights)
 * @param seed the seed used
 * @param limit the image limit, or null for all
 * @param version the qrbench version that ran it
 * @param commit the qrbench checkout's commit, or null when unknown
 * @param models the suite's models, in suite order
 * @param plan every unit of the run, each naming the shard it belongs to, in case order
 * @param units the units this shard finished (or failed), in the order run
 */
public record ShardInfo(
    int index,
    int count,
    String fingerprint,
    long seed,
    Integer limit,
    String version,
    String commit,
    List<String> models,
    List<UnitRef> plan,
    List<UnitResult> units) {

  public ShardInfo {
    models = List.copyOf(models);
    plan = List.copyOf(plan);
    units = units == null ? List.of() : List.copyOf(units);
  }

  /**
   * One unit of work: a case on a batch-aligned range of images, or a model's speed measurement.
   *
   * @param caseId the case's id, or for a speed measurement {@code speed:} and the model's name
   * @param from the first image (0 for speed)
   * @param to one past the last image (0 for speed)
   * @param shard the shard (K) that runs it
   */
  public record UnitRef(String caseId, int from, int to, int shard) {
    /** The prefix of a speed unit's {@link #caseId}. */
    public static final String SPEED = "speed:";

    /** A unit's id, unique in a run: {@code case@from-to}. */
    public String id() {
      return caseId + "@" + from + "-" + to;
    }

    /** True for a model's speed measurement. */
    public boolean speed() {
      return caseId.startsWith(SPEED);
    }
  }

  /**
   * A finished unit.
   *
   * @param unit which
   * @param result the case's description and status with its metrics on this range only (images
   *     counted in the range; outcomes indexed in the whole dataset); for a speed unit, the model's
   *     speed results are in {@link RunResult#speed()} and this is null
   * @param partial what merging needs, or null when the unit failed or is a speed unit
   */
  public record UnitResult(UnitRef unit, CaseResult result, UnitPartial partial) {
    /** True when it finished without error. */
    public boolean ok() {
      return result == null || result.ok();
    }
  }
}
