package io.qrbench.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Something a test needs from the machine rather than from the code: a browser, the real data sets.
 * On a developer's fresh clone it may be missing; the test is then skipped with the reason (in
 * Surefire's report and on stderr, so it is seen). In CI nothing may be skipped: {@code .ci/run}
 * installs and fetches everything and exports {@value #STRICT}=true, and a missing requirement
 * fails the test instead.
 */
public final class MachineRequirement {
  /** The environment variable that turns a missing requirement from a skip into a failure. */
  public static final String STRICT = "QRBENCH_STRICT_TESTS";

  private MachineRequirement() {}

  /**
   * Goes on when {@code present}; otherwise skips (or, strict, fails) with {@code missing} and
   * {@code fix}.
   */
  public static void require(boolean present, String missing, String fix) {
    if (present) {
      return;
    }
    String reason = missing + "; " + fix;
    if (strict()) {
      Assertions.fail(reason + " (" + STRICT + " is set: nothing may be skipped)");
    }
    System.err.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  /** Whether a missing requirement fails rather than skips. */
  public static boolean strict() {
    String v = System.getenv(STRICT);
    return v != null && !v.isBlank() && !v.equalsIgnoreCase("false") && !v.equals("0");
  }
}
