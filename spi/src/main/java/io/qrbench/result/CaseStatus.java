package io.qrbench.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How a case ended; written to results.json in lower case ({@code ok}, {@code failed}). */
public enum CaseStatus {
  /** The case ran over every image and has metrics. */
  OK,
  /** The case stopped with an error and has none. */
  FAILED;

  /** The name in results.json. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named {@code id} in results.json. */
  @JsonCreator
  public static CaseStatus of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + id + "' is neither ok nor failed"));
  }

  @Override
  public String toString() {
    return id();
  }
}
