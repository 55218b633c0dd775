package io.qrbench.reports;

import java.util.regex.Pattern;

/**
 * Text from a run (names, levels, checks) made safe for Markdown: it can never become a link, an
 * image, HTML, emphasis, a heading or list, or end a table cell. Punctuation that CommonMark or
 * GitHub give a meaning is backslash-escaped ({@code <}, {@code >} and {@code &} become entities);
 * a word that GitHub would link by itself (a URL, {@code www.}, an e-mail address, an
 * {@code @mention}, a {@code #123} reference, a commit hash) goes in a code span, the one place
 * where nothing is linked.
 */
final class Markdown {
  /** Escaped everywhere: links, images, emphasis, code, strikethrough, math, table cells. */
  private static final String SPECIAL = "\\`*_[]()!|~$";

  /** Escaped at the start of a line or list item, where they would begin a block. */
  private static final String BLOCK_START = "#+-=";

  private static final Pattern LINKABLE =
      Pattern.compile(
          "(?i)://|www\\.|@[a-z0-9-]+\\.[a-z0-9]"
              + "|(^|[^a-z0-9_])[@#][a-z0-9]|(^|[^a-z0-9_])(?=[0-9]*[a-f])[0-9a-f]{7,40}($|[^a-z0-9_])");

  private Markdown() {}

  /** For running text: a heading, a list item, a line. */
  static String inline(Object value) {
    return escape(value, false);
  }

  /** For a table cell. */
  static String cell(Object value) {
    return escape(value, true);
  }

  private static String escape(Object value, boolean cell) {
    if (value == null) {
      return "";
    }
    String s = value.toString().replace('\r', ' ').replace('\n', ' ').replace('\t', ' ');
    StringBuilder out = new StringBuilder(s.length() + 16);
    int i = 0;
    while (i < s.length()) {
      int end = s.indexOf(' ', i);
      end = end < 0 ? s.length() : end;
      String word = s.substring(i, end);
      if (LINKABLE.matcher(word).find()) {
        code(out, word, cell);
      } else {
        text(out, word, i == 0);
      }
      if (end < s.length()) {
        out.append(' ');
      }
      i = end + 1;
    }
    return out.toString();
  }

  private static void text(StringBuilder out, String word, boolean first) {
    for (int j = 0; j < word.length(); j++) {
      char c = word.charAt(j);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> {
          // "1. " starts a list; "0.01" does not
          boolean ordinal =
              first
                  && c == '.'
                  && j == word.length() - 1
                  && word.substring(0, j).matches("[0-9]{1,9}");
          if (SPECIAL.indexOf(c) >= 0
              || ordinal
              || (first && j == 0 && BLOCK_START.indexOf(c) >= 0)) {
            out.append('\\');
          }
          out.append(c);
        }
      }
    }
  }

  /**
   * A code span: fenced by more backticks than any run inside it, padded when it starts or ends
   * with one. In a table cell a pipe is still escaped (GFM reads {@code \|} as {@code |} there).
   */
  private static void code(StringBuilder out, String word, boolean cell) {
    int longest = 0;
    int run = 0;
    for (char c : word.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    String pad = word.startsWith("`") || word.endsWith("`") ? " " : "";
    out.append(fence)
        .append(pad)
        .append(cell ? word.replace("|", "\\|") : word)
        .append(pad)
        .append(fence);
  }
}
