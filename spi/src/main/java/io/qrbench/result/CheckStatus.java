package io.qrbench.result;

import java.util.Locale;

/** How one of a suite's checks came out. */
public enum CheckStatus {
  /** It was evaluated and held. */
  PASSED,
  /** It was evaluated and did not hold. */
  FAILED,
  /** It could not be evaluated: a case it names failed, is missing or lacks the metric. */
  UNEVALUATED;

  /** The lower-case name, as reports show it. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }
}
