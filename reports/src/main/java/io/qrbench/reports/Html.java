package io.qrbench.reports;

/**
 * A small HTML (and inline SVG) builder. Every string that reaches the page from a suite, a result
 * or a plugin goes through {@link #esc}, in text and in attributes alike, so one escaper decides
 * what is safe; tag and attribute names are constants in the code.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(1 << 16);

  /** Escapes text and attribute values: {@code & < > " '}; null becomes the empty string. */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Opens {@code tag} with attributes given as name, value pairs; a null value omits the attribute.
   */
  Html open(String tag, String... attributes) {
    out.append('<').append(tag);
    attrs(attributes);
    out.append('>');
    return this;
  }

  /** A void element ({@code <line .../>}, {@code <input>}), attributes as in {@link #open}. */
  Html empty(String tag, String... attributes) {
    out.append('<').append(tag);
    attrs(attributes);
    out.append(tag.equals("input") || tag.equals("meta") || tag.equals("link") ? ">" : "/>");
    return this;
  }

  Html close(String tag) {
    out.append("</").append(tag).append('>');
    return this;
  }

  /** An element holding escaped text. */
  Html el(String tag, Object text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  Html text(Object text) {
    out.append(esc(text));
    return this;
  }

  /** Markup the code itself wrote (never data). */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  Html nl() {
    out.append('\n');
    return this;
  }

  private void attrs(String[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        out.append(' ')
            .append(attributes[i])
            .append("=\"")
            .append(esc(attributes[i + 1]))
            .append('"');
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
