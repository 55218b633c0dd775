package io.qrbench.check;

/** A check that does not parse; {@link #getMessage()} says what was expected and where. */
public final class CheckSyntaxException extends IllegalArgumentException {
  private final int column;

  CheckSyntaxException(String message, int column) {
    super(message);
    this.column = column;
  }

  /** 1-based column in the check's text where the problem is. */
  public int column() {
    return column;
  }
}
