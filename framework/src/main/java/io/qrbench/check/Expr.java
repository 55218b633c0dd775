package io.qrbench.check;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** One side of a {@link Check}: an arithmetic expression over numbers and metric references. */
public sealed interface Expr {

  /** Its value, with {@code lookup} giving each reference's value. */
  double value(ToDoubleFunction<Ref> lookup);

  /** Adds its references to {@code out}, left to right. */
  void collect(List<Ref> out);

  /** A literal number. */
  record Num(double value) implements Expr {
    @Override
    public double value(ToDoubleFunction<Ref> lookup) {
      return value;
    }

    @Override
    public void collect(List<Ref> out) {}
  }

  /**
   * A metric reference as written, e.g. {@code FP.pgd[epsilon=0.03].top1}.
   *
   * @param text the reference
   * @param column 1-based column where it starts in the check
   */
  record Ref(String text, int column) implements Expr {
    @Override
    public double value(ToDoubleFunction<Ref> lookup) {
      return lookup.applyAsDouble(this);
    }

    @Override
    public void collect(List<Ref> out) {
      out.add(this);
    }
  }

  /** Unary minus. */
  record Neg(Expr operand) implements Expr {
    @Override
    public double value(ToDoubleFunction<Ref> lookup) {
      return -operand.value(lookup);
    }

    @Override
    public void collect(List<Ref> out) {
      operand.collect(out);
    }
  }

  /** {@code a op b} for op one of {@code + - * /}. */
  record Binary(char op, Expr a, Expr b) implements Expr {
    @Override
    public double value(ToDoubleFunction<Ref> lookup) {
      double x = a.value(lookup);
      double y = b.value(lookup);
      return switch (op) {
        case '+' -> x + y;
        case '-' -> x - y;
        case '*' -> x * y;
        case '/' -> x / y;
        default -> throw new IllegalStateException("operator " + op);
      };
    }

    @Override
    public void collect(List<Ref> out) {
      a.collect(out);
      b.collect(out);
    }
  }
}
