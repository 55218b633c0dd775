package io.qrbench.result;

import java.util.Map;

/**
 * One model under one perturbation level.
 *
 * @param id {@code model/perturbation} or {@code model/perturbation[level]}, unique in a run
 * @param model the model's display name
 * @param perturbation the perturbation's display name
 * @param perturbationId the perturbation plugin's id
 * @param level the swept values at this level ({@link Level#NONE} when nothing is swept)
 * @param params the perturbation's configuration at this level
 * @param status whether it finished
 * @param error what went wrong, or null
 * @param metrics the measurements, or null when the case failed
 */
public record CaseResult(
    String id,
    String model,
    String perturbation,
    String perturbationId,
    Level level,
    Map<String, Object> params,
    CaseStatus status,
    String error,
    Metrics metrics) {

  public CaseResult {
    level = level == null ? Level.NONE : level;
    params =
        params == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }

  /** True when the case finished without error. */
  public boolean ok() {
    return status == CaseStatus.OK;
  }
}
