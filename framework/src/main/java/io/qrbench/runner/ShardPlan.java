package io.qrbench.runner;

import io.qrbench.ConfigException;
import io.qrbench.result.ShardInfo.UnitRef;
import io.qrbench.spi.Perturbation;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.ModelEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a run splits into N shards ({@code qrbench run --shard K/N}), computed from the suite alone
 * so that every shard computes the same plan without talking to the others.
 *
 * <p>A unit is a case on a range of images, or a model's speed measurement. A case that costs more
 * than a quarter of a shard's fair share is cut into ranges of about an eighth of it; ranges start
 * and end on batch boundaries (or at the last image), so that the batches, the images' seeds and
 * the engine's arithmetic are exactly a whole run's. Units go largest first to the least loaded
 * shard (the LPT rule of Graham, "Bounds on multiprocessing timing anomalies", 1969), ties to the
 * lowest shard.
 *
 * <p>A unit's cost is an estimate in image forward passes: images x {@link
 * Perturbation#passesPerImage} (one more for a transfer attack, which crafts on its source). Every
 * model counts as one: the plan must not need to build models, and a suite's models are mostly of
 * one architecture.
 *
 * @param units every unit, in case order then image order, each naming its shard
 */
record ShardPlan(int count, List<UnitRef> units) {
  /** The cost of a speed measurement in image forward passes: a few hundred timed passes. */
  static final double SPEED_COST = 300;

  ShardPlan {
    units = List.copyOf(units);
  }

  /** The units of shard {@code index} (from 1), in plan order. */
  List<UnitRef> of(int index) {
    return units.stream().filter(u -> u.shard() == index).toList();
  }

  /**
   * The plan for {@code shards} shards of {@code suite} over {@code images} images.
   *
   * @throws ConfigException when {@code shards} is below 1
   */
  static ShardPlan of(Suite suite, int images, int shards) {
    if (shards < 1) {
      throw new ConfigException("--shard K/N: N must be at least 1, was " + shards);
    }
    List<CasePlan> cases = CasePlan.of(suite);
    double[] perImage = cases.stream().mapToDouble(ShardPlan::passesPerImage).toArray();
    double total = 0;
    for (double p : perImage) {
      total += p * images;
    }
    List<ModelEntry> timed = suite.speed() == null ? List.of() : suite.models();
    total += SPEED_COST * timed.size();
    int batch = suite.batchSize();
    List<Costed> costed = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      double caseCost = perImage[c] * images;
      int step = images;
      if (shards > 1 && caseCost > total / (4.0 * shards)) {
        double target = total / (8.0 * shards) / perImage[c];
        step = Math.max(batch, (int) Math.round(target / batch) * batch);
      }
      for (int from = 0; from < images; from += step) {
        int to = Math.min(images, from + step);
        costed.add(
            new Costed(cases.get(c).id(), from, to, perImage[c] * (to - from), costed.size()));
      }
    }
    for (ModelEntry m : timed) {
      costed.add(new Costed(UnitRef.SPEED + m.name(), 0, 0, SPEED_COST, costed.size()));
    }
    List<Costed> bySize = new ArrayList<>(costed);
    // stable: equal costs keep case order
    bySize.sort(Comparator.comparingDouble(Costed::cost).reversed());
    double[] load = new double[shards];
    int[] shardOf = new int[costed.size()];
    for (Costed u : bySize) {
      int least = 0;
      for (int s = 1; s < shards; s++) {
        if (load[s] < load[least]) {
          least = s;
        }
      }
      load[least] += u.cost();
      shardOf[u.order()] = least + 1;
    }
    List<UnitRef> units = new ArrayList<>();
    for (Costed u : costed) {
      units.add(new UnitRef(u.caseId(), u.from(), u.to(), shardOf[u.order()]));
    }
    return new ShardPlan(shards, units);
  }

  /** The estimated cost of one image of {@code plan}, in forward passes. */
  static double passesPerImage(CasePlan plan) {
    double p = passes(plan.perturbation().plugin(), plan.level().config());
    if (!(p >= 1) || Double.isInfinite(p)) {
      p = 1; // a plugin's bad estimate must not break the plan
    }
    return plan.perturbation().source() == null ? p : p + 1;
  }

  /** The estimated cost of unit {@code u} in {@code suite}. */
  static double cost(Suite suite, int images, UnitRef u) {
    if (u.speed()) {
      return SPEED_COST;
    }
    for (CasePlan p : CasePlan.of(suite)) {
      if (p.id().equals(u.caseId())) {
        return passesPerImage(p) * (u.to() - u.from());
      }
    }
    throw new IllegalArgumentException("no case " + u.caseId());
  }

  private static <C extends Record> double passes(Perturbation<C> p, Record config) {
    return p.passesPerImage(p.configType().cast(config));
  }

  private record Costed(String caseId, int from, int to, double cost, int order) {}
}
