package io.qrbench.runner;

import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.Level;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.suite.Suite.PerturbationEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A case to run: one model under one level of one perturbation.
 *
 * @param id the case's id in the results, {@code model/perturbation[level]}
 */
record CasePlan(String id, ModelEntry model, PerturbationEntry perturbation, Level level) {

  /**
   * The estimated work per image in forward passes: the evaluation's own one and the
   * perturbation's.
   */
  double passesPerImage() {
    return 1 + passes(perturbation.plugin(), level.config());
  }

  private static <C extends Record> double passes(io.qrbench.spi.Perturbation<C> p, Record config) {
    double extra = p.passesPerImage(p.configType().cast(config));
    return Double.isFinite(extra) && extra > 0 ? extra : 0;
  }

  /** Every case of {@code suite}: models x perturbations x levels, in suite order. */
  static List<CasePlan> of(Suite suite) {
    List<CasePlan> plans = new ArrayList<>();
    for (ModelEntry m : suite.models()) {
      for (PerturbationEntry p : suite.perturbations()) {
        for (Level l : p.levels()) {
          String id =
              m.name() + "/" + p.name() + (l.label().isEmpty() ? "" : "[" + l.label() + "]");
          plans.add(new CasePlan(id, m, p, l));
        }
      }
    }
    return plans;
  }
}
