package io.qrbench.result;

import java.util.Map;

/**
 * One model under one perturbation level.
 *
 * @param id {@code model/perturbation} or {@code model/perturbation[level]}, unique in a run
 * @param model the model's display name
 * @param perturbation the perturbation's display name
 * @param perturbationId the perturbation plugin's id
 * @param level the level's label, empty when nothing is swept
 * @param params the perturbation's configuration at this level
 * @param status {@code ok} or {@code failed}
 * @param error what went wrong, or null
 * @param metrics the measurements, or null when the case failed
 */
public record CaseResult(
    String id,
    String model,
    String perturbation,
    String perturbationId,
    String level,
    Map<String, Object> params,
    String status,
    String error,
    Metrics metrics) {

  /** True when the case finished without error. */
  public boolean ok() {
    return "ok".equals(status);
  }
}
