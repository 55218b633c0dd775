package io.qrbench.check;

/**
 * Recursive descent over one check: {@code check := sum CMP sum}, {@code sum := product (('+'|'-')
 * product)*}, {@code product := unary (('*'|'/') unary)*}, {@code unary := '-' unary | primary},
 * {@code primary := number | reference | '(' sum ')'}. A hyphen inside a name ({@code gaussian-c})
 * belongs to the name when a letter follows it; subtraction wants spaces or a digit after it.
 */
final class CheckParser {
  /** Parentheses and minus signs nest at most this deep; the parser recurses once per level. */
  static final int MAX_DEPTH = 64;

  /**
   * A check is one line; evaluating it recurses once per operator, so its length is bounded too.
   */
  static final int MAX_LENGTH = 1000;

  private final String s;
  private int pos;
  private int depth;

  CheckParser(String text) {
    this.s = text == null ? "" : text;
  }

  Check check() {
    Check c = parse();
    if (s.length() > MAX_LENGTH) {
      throw new CheckSyntaxException(
          "the check is " + s.length() + " characters long; at most " + MAX_LENGTH + " are allowed",
          MAX_LENGTH + 1);
    }
    return c;
  }

  private Check parse() {
    Expr left = sum();
    skipSpace();
    String cmp =
        Check.COMPARISONS.stream()
            .filter(c -> s.startsWith(c, pos))
            .findFirst()
            .orElseThrow(
                () -> error("expected a comparison (" + String.join(" ", Check.COMPARISONS) + ")"));
    pos += cmp.length();
    Expr right = sum();
    skipSpace();
    if (pos < s.length()) {
      throw error("unexpected '" + s.substring(pos) + "' after the right-hand side");
    }
    return new Check(s, left, cmp, right);
  }

  private Expr sum() {
    Expr e = product();
    while (true) {
      skipSpace();
      if (peek('+') || peek('-')) {
        char op = s.charAt(pos++);
        e = new Expr.Binary(op, e, product());
      } else {
        return e;
      }
    }
  }

  private Expr product() {
    Expr e = unary();
    while (true) {
      skipSpace();
      if (peek('*') || peek('/')) {
        char op = s.charAt(pos++);
        e = new Expr.Binary(op, e, unary());
      } else {
        return e;
      }
    }
  }

  private Expr unary() {
    skipSpace();
    if (peek('-')) {
      pos++;
      enter();
      Expr e = new Expr.Neg(unary());
      depth--;
      return e;
    }
    return primary();
  }

  private Expr primary() {
    skipSpace();
    if (pos >= s.length()) {
      throw error("expected a number, a metric reference such as FP.clean.top1, or '('");
    }
    char c = s.charAt(pos);
    if (c == '(') {
      enter();
      pos++;
      Expr inner = sum();
      depth--;
      skipSpace();
      if (!peek(')')) {
        throw error("expected ')'");
      }
      pos++;
      return inner;
    }
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (Character.isLetter(c) || c == '_') {
      return reference();
    }
    throw error(
        "unexpected '"
            + c
            + "'; expected a number, a metric reference such as FP.clean.top1, or '('");
  }

  private Expr number() {
    int start = pos;
    while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      int save = pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    String text = s.substring(start, pos);
    try {
      return new Expr.Num(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      throw new CheckSyntaxException("'" + text + "' is not a number", start + 1);
    }
  }

  private Expr reference() {
    int start = pos;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '@') {
        pos++;
      } else if (c == '-' && pos + 1 < s.length() && Character.isLetter(s.charAt(pos + 1))) {
        pos++;
      } else if (c == '[') {
        int close = s.indexOf(']', pos);
        if (close < 0) {
          throw error("'[' without its ']'");
        }
        pos = close + 1;
      } else {
        break;
      }
    }
    return new Expr.Ref(s.substring(start, pos), start + 1);
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("parentheses and minus signs nest deeper than " + MAX_DEPTH + " levels");
    }
  }

  private boolean peek(char c) {
    return pos < s.length() && s.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private CheckSyntaxException error(String message) {
    return new CheckSyntaxException(message + " at column " + (pos + 1), pos + 1);
  }
}
