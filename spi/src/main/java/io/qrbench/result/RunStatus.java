package io.qrbench.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a run stands; written to results.json in lower case. */
public enum RunStatus {
  /** Cases are still being added (or the run was killed before it finished). */
  RUNNING,
  /** Every case finished without error. */
  COMPLETE,
  /** The run finished, and at least one case failed. */
  FAILED;

  /** The name in results.json. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named {@code id} in results.json. */
  @JsonCreator
  public static RunStatus of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + id + "' is none of " + ids()));
  }

  /** The names, for messages: {@code running, complete, failed}. */
  public static String ids() {
    return Arrays.stream(values()).map(RunStatus::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id();
  }
}
