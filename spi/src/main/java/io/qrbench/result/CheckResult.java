package io.qrbench.result;

/**
 * One of a suite's {@code checks:} as evaluated on a run's results.
 *
 * @param expression the check as written, e.g. {@code TWN.clean.top1 >= FP.clean.top1 - 1.0}
 * @param passed whether it held
 * @param left the left side's value, or null when it could not be evaluated
 * @param right the right side's value, or null when it could not be evaluated
 * @param detail the check with its values filled in, or why it could not be evaluated
 */
public record CheckResult(
    String expression, boolean passed, Double left, Double right, String detail) {

  /** Passed, failed, or could not be evaluated (no values). */
  public CheckStatus status() {
    return passed
        ? CheckStatus.PASSED
        : left == null || right == null ? CheckStatus.UNEVALUATED : CheckStatus.FAILED;
  }
}
