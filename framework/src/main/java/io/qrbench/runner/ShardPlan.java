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
 * <p>A unit's cost is an estimate: images x the model's multiply-accumulates per image x {@link
 * Perturbation#passesPerImage} (for a transfer attack, its passes on the source's MACs plus one
 * forward pass of the model evaluated). Every model's case of one transfer attack goes with the
 * others, range by range, to one shard, which crafts the range's images once and evaluates each
 * model on them, as a whole run does; their joint cost counts the crafting once. MACs are counted
 * on models built without weights; a model whose MACs cannot be counted (imported, deployed) counts
 * as the mean of the others.
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
    return of(suite, images, shards, java.util.Map.of());
  }

  /**
   * The plan with each model's multiply-accumulates per image ({@code macs}, by model name; a model
   * missing counts as the mean of those given, or 1 when none is).
   */
  static ShardPlan of(Suite suite, int images, int shards, java.util.Map<String, Double> macs) {
    if (shards < 1) {
      throw new ConfigException("--shard K/N: N must be at least 1, was " + shards);
    }
    List<CasePlan> cases = CasePlan.of(suite);
    double known = macs.values().stream().mapToDouble(Double::doubleValue).average().orElse(1);
    java.util.function.ToDoubleFunction<String> macsOf = m -> macs.getOrDefault(m, known);
    double[] perImage = cases.stream().mapToDouble(c -> costPerImage(c, macsOf)).toArray();
    double total = 0;
    for (double p : perImage) {
      total += p * images;
    }
    List<ModelEntry> timed = suite.speed() == null ? List.of() : suite.models();
    for (ModelEntry m : timed) {
      total += SPEED_COST * macsOf.applyAsDouble(m.name());
    }
    int batch = suite.batchSize();
    List<Costed> costed = new ArrayList<>();
    for (Group g : groups(cases, perImage, macsOf)) {
      double groupCost = g.perImage() * images;
      int step = images;
      if (shards > 1 && groupCost > total / (4.0 * shards)) {
        double target = total / (8.0 * shards) / g.perImage();
        step = Math.max(batch, (int) Math.round(target / batch) * batch);
      }
      for (int from = 0; from < images; from += step) {
        int to = Math.min(images, from + step);
        costed.add(new Costed(g.cases(), from, to, g.perImage() * (to - from), costed.size()));
      }
    }
    for (ModelEntry m : timed) {
      costed.add(
          new Costed(
              List.of(UnitRef.SPEED + m.name()),
              0,
              0,
              SPEED_COST * macsOf.applyAsDouble(m.name()),
              costed.size()));
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
      for (String id : u.caseIds()) {
        units.add(new UnitRef(id, u.from(), u.to(), shardOf[u.order()]));
      }
    }
    // case order then image order, as a whole run goes
    List<String> order = cases.stream().map(CasePlan::id).toList();
    units.sort(
        Comparator.comparingInt((UnitRef u) -> u.speed() ? order.size() : order.indexOf(u.caseId()))
            .thenComparingInt(UnitRef::from));
    return new ShardPlan(shards, units);
  }

  /** The estimated cost of one image of {@code plan}: forward passes x MACs. */
  static double costPerImage(CasePlan plan, java.util.function.ToDoubleFunction<String> macs) {
    double p = passes(plan.perturbation().plugin(), plan.level().config());
    if (!(p >= 1) || Double.isInfinite(p)) {
      p = 1; // a plugin's bad estimate must not break the plan
    }
    String source = plan.perturbation().source();
    double self = macs.applyAsDouble(plan.model().name());
    return source == null ? p * self : p * macs.applyAsDouble(source) + self;
  }

  /** The estimated cost of unit {@code u} in {@code suite}, each model counting 1 MAC. */
  static double cost(Suite suite, int images, UnitRef u) {
    if (u.speed()) {
      return SPEED_COST;
    }
    for (CasePlan p : CasePlan.of(suite)) {
      if (p.id().equals(u.caseId())) {
        return costPerImage(p, m -> 1) * (u.to() - u.from());
      }
    }
    throw new IllegalArgumentException("no case " + u.caseId());
  }

  private static <C extends Record> double passes(Perturbation<C> p, Record config) {
    return p.passesPerImage(p.configType().cast(config));
  }

  /**
   * The cases that go to shards together, range by range: a case alone, or every model's case of
   * one transfer attack (same perturbation and level, crafted on the same source), so that a
   * range's images are crafted once, by one shard, and evaluated there on every model, as a whole
   * run does ({@code CraftedImages}). Their cost per image counts the crafting once.
   */
  private record Group(List<String> cases, double perImage) {}

  private static List<Group> groups(
      List<CasePlan> cases, double[] perImage, java.util.function.ToDoubleFunction<String> macs) {
    java.util.Map<String, List<Integer>> transfer = new java.util.LinkedHashMap<>();
    List<Group> out = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      CasePlan p = cases.get(c);
      if (p.perturbation().source() == null) {
        continue;
      }
      String key = p.perturbation().name() + "[" + p.level().label() + "]";
      transfer.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
    }
    java.util.Map<Integer, Group> firstOf = new java.util.HashMap<>();
    transfer.forEach(
        (key, members) -> {
          CasePlan first = cases.get(members.get(0));
          double crafting =
              perImage[members.get(0)] - macs.applyAsDouble(first.model().name()); // once
          double cost = crafting;
          List<String> ids = new ArrayList<>();
          for (int c : members) {
            cost += macs.applyAsDouble(cases.get(c).model().name());
            ids.add(cases.get(c).id());
          }
          firstOf.put(members.get(0), new Group(ids, cost));
        });
    java.util.Set<Integer> grouped = new java.util.HashSet<>();
    transfer.values().forEach(grouped::addAll);
    for (int c = 0; c < cases.size(); c++) {
      if (firstOf.containsKey(c)) {
        out.add(firstOf.get(c));
      } else if (!grouped.contains(c)) {
        out.add(new Group(List.of(cases.get(c).id()), perImage[c]));
      }
    }
    return out;
  }

  private record Costed(List<String> caseIds, int from, int to, double cost, int order) {}
}
