package io.qrbench.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A suite's regression check, e.g. {@code TWN.clean.top1 >= FP.clean.top1 - 1.0}: two arithmetic
 * expressions (numbers, metric references, {@code + - * /}, parentheses) joined by one of {@code >=
 * <= > < == !=}. A reference is {@code MODEL.CASE.METRIC}: a suite model's name, a perturbation's
 * name ({@code clean} for {@code none}) with its level in brackets when it is swept ({@code
 * pgd[epsilon=0.0313725]}), and a metric such as {@code top1}.
 *
 * @param text the check as written
 * @param left the left-hand side
 * @param comparison the comparison operator
 * @param right the right-hand side
 */
public record Check(String text, Expr left, String comparison, Expr right) {

  /** Comparison operators, longest first so that {@code >=} is not read as {@code >}. */
  static final List<String> COMPARISONS = List.of(">=", "<=", "==", "!=", ">", "<");

  /**
   * Parses a check.
   *
   * @throws CheckSyntaxException naming the column and what was expected there
   */
  public static Check parse(String text) {
    return new CheckParser(text).check();
  }

  /** Every metric reference in the check, left to right. */
  public List<Expr.Ref> references() {
    List<Expr.Ref> refs = new ArrayList<>();
    left.collect(refs);
    right.collect(refs);
    return refs;
  }

  /** Whether the comparison holds for these values. */
  boolean holds(double l, double r) {
    return switch (comparison) {
      case ">=" -> l >= r;
      case "<=" -> l <= r;
      case ">" -> l > r;
      case "<" -> l < r;
      case "==" -> l == r;
      case "!=" -> l != r;
      default -> throw new IllegalStateException(comparison);
    };
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v)
        .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replace(".e", "e")
        .replaceAll("\\.$", "");
  }
}
