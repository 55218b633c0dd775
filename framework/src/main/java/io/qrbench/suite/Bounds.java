package io.qrbench.suite;

import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.spi.Bound;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks numeric values against their {@link Bound} (and integers against their Java type) in a
 * YAML subtree before Jackson binds it, so that each value out of range is reported at its own line
 * and column with the range, and binding still goes on to report the rest.
 */
final class Bounds {
  private static final PropertyNamingStrategies.KebabCaseStrategy KEBAB =
      new PropertyNamingStrategies.KebabCaseStrategy();

  /** Why batch sizes stop at 65,536. */
  static final String BATCH =
      "a batch is held in memory at once: 65,536 CIFAR-10 images are 0.8 GB as floats,"
          + " and the model's activations several times that; 128 is a good default";

  static final String EPOCHS = "each epoch is a pass over every training image";

  private Bounds() {}

  /**
   * A range of numbers.
   *
   * @param min the smallest value, or null for none
   * @param max the largest value, or null for none
   * @param minExclusive whether min itself is outside
   * @param maxExclusive whether max itself is outside
   * @param integral whether only integers are meant
   * @param why why the range is what it is, or empty
   * @param words the words accepted instead of a number ({@link Bound#words()}), or none
   */
  record Range(
      BigDecimal min,
      BigDecimal max,
      boolean minExclusive,
      boolean maxExclusive,
      boolean integral,
      String why,
      List<String> words) {

    Range {
      words = List.copyOf(words);
    }

    /** An inclusive integer range; {@link Integer#MAX_VALUE} as max means none but the type's. */
    static Range integers(long min, long max, String why) {
      return new Range(
          BigDecimal.valueOf(min), BigDecimal.valueOf(max), false, false, true, why, List.of());
    }

    /**
     * The range of a value of {@code type} under {@code bound} (may be null); null when nothing is
     * checked.
     */
    static Range of(Class<?> type, Bound bound) {
      boolean integral =
          type == int.class || type == Integer.class || type == long.class || type == Long.class;
      boolean floating =
          type == double.class
              || type == Double.class
              || type == float.class
              || type == Float.class;
      boolean any = type == Object.class || type == Number.class;
      if (!integral && !floating && !(any && bound != null)) {
        return null;
      }
      BigDecimal min =
          bound == null || bound.min() == Double.NEGATIVE_INFINITY
              ? null
              : BigDecimal.valueOf(bound.min());
      BigDecimal max =
          bound == null || bound.max() == Double.POSITIVE_INFINITY
              ? null
              : BigDecimal.valueOf(bound.max());
      boolean minEx = bound != null && bound.minExclusive();
      boolean maxEx = bound != null && bound.maxExclusive();
      if (integral) {
        boolean isInt = type == int.class || type == Integer.class;
        BigDecimal lo = BigDecimal.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
        BigDecimal hi = BigDecimal.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
        min = min == null || min.compareTo(lo) < 0 ? lo : min;
        max = max == null || max.compareTo(hi) > 0 ? hi : max;
      }
      return new Range(
          min,
          max,
          minEx,
          maxEx,
          integral,
          bound == null ? "" : bound.why(),
          bound == null || !any ? List.of() : List.of(bound.words()));
    }

    boolean contains(BigDecimal v) {
      int lo = min == null ? 1 : v.compareTo(min);
      int hi = max == null ? -1 : v.compareTo(max);
      return (minExclusive ? lo > 0 : lo >= 0) && (maxExclusive ? hi < 0 : hi <= 0);
    }

    /**
     * E.g. {@code integer in [1, 65536]}, {@code number in (0, 10]}, {@code integer of at least 1}.
     */
    String describe() {
      return describe(null);
    }

    /**
     * The range in words, leaving out a Java type's own limit unless {@code v} (may be null) is
     * past it: "an integer of at least 1" says more than "[1, 2147483647]".
     */
    String describe(BigDecimal v) {
      String kind = integral ? "integer" : "number";
      BigDecimal lo =
          min != null && isTypeLimit(min) && (v == null || v.compareTo(min) >= 0) ? null : min;
      BigDecimal hi =
          max != null && isTypeLimit(max) && (v == null || v.compareTo(max) <= 0) ? null : max;
      if (lo != null && hi != null) {
        return kind
            + " in "
            + (minExclusive ? "(" : "[")
            + text(lo)
            + ", "
            + text(hi)
            + (maxExclusive ? ")" : "]");
      }
      if (lo != null) {
        return kind + (minExclusive ? " above " : " of at least ") + text(lo);
      }
      return hi == null ? kind : kind + (maxExclusive ? " below " : " of at most ") + text(hi);
    }

    /** {@link #describe(BigDecimal)} with an article, and the words accepted instead. */
    String expected(BigDecimal v) {
      String number = article(describe(v));
      return words.isEmpty()
          ? number
          : number + " or " + words.stream().map(w -> "'" + w + "'").collect(joining(" or "));
    }

    private static boolean isTypeLimit(BigDecimal b) {
      long[] limits = {Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE};
      for (long l : limits) {
        if (b.compareTo(BigDecimal.valueOf(l)) == 0) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Reports every value under {@code node} (found at {@code pointer}, to be bound to {@code type})
   * that is out of its range, and returns the node without them so that binding goes on with
   * defaults; null when {@code node} itself is out of range.
   *
   * @param range the range of {@code node} itself when it is a bare number, or null
   */
  static JsonNode strip(
      YamlDocument doc,
      String pointer,
      JsonNode node,
      Type type,
      Range range,
      List<SuiteProblem> problems) {
    List<String> bad = new ArrayList<>();
    visit(doc, pointer, node, type, range, problems, bad);
    if (bad.isEmpty()) {
      return node;
    }
    if (bad.contains(pointer)) {
      return null;
    }
    JsonNode copy = node.deepCopy();
    for (int i = bad.size() - 1; i >= 0; i--) { // from the end: earlier list indexes stay valid
      String rel = bad.get(i).substring(pointer.length());
      JsonNode parent = copy.at(YamlDocument.parent(rel));
      String last = rel.substring(rel.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
      if (parent instanceof ObjectNode o) {
        o.remove(last);
      } else if (parent instanceof ArrayNode a) {
        a.remove(Integer.parseInt(last));
      }
    }
    return copy;
  }

  /** The range of a record component, for 'list-plugins'; null when it is not a number. */
  static Range of(RecordComponent c) {
    Type t = c.getGenericType();
    while (t instanceof ParameterizedType p
        && Collection.class.isAssignableFrom((Class<?>) p.getRawType())) {
      t = p.getActualTypeArguments()[0];
    }
    return t instanceof Class<?> k ? Range.of(k, c.getAnnotation(Bound.class)) : null;
  }

  private static void visit(
      YamlDocument doc,
      String pointer,
      JsonNode node,
      Type type,
      Range range,
      List<SuiteProblem> problems,
      List<String> bad) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    Class<?> raw = raw(type);
    if (Collection.class.isAssignableFrom(raw)) {
      Type element =
          type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          visit(doc, YamlDocument.child(pointer, i), node.get(i), element, range, problems, bad);
        }
      } else {
        visit(doc, pointer, node, element, range, problems, bad); // one value read as a list of one
      }
    } else if (raw.isRecord()) {
      if (node.isObject()) {
        for (RecordComponent c : raw.getRecordComponents()) {
          String key = KEBAB.translate(c.getName());
          Class<?> scalar = raw(c.getGenericType());
          Range r =
              Collection.class.isAssignableFrom(scalar)
                  ? of(c)
                  : Range.of(scalar, c.getAnnotation(Bound.class));
          visit(
              doc,
              YamlDocument.child(pointer, key),
              node.get(key),
              c.getGenericType(),
              r,
              problems,
              bad);
        }
      }
    } else if (range != null && node.isArray()) {
      // a list where one number is expected: the levels of a sweep, each checked
      for (int i = 0; i < node.size(); i++) {
        visit(doc, YamlDocument.child(pointer, i), node.get(i), type, range, problems, bad);
      }
    } else if (range != null && node.isTextual() && !range.words().isEmpty()) {
      String word = node.asText();
      if (!range.words().contains(word)) {
        problems.add(
            doc.problemAtValue(
                pointer,
                "expected "
                    + range.expected(null)
                    + ", found '"
                    + word
                    + "'"
                    + io.qrbench.registry.Suggestions.closest(word, range.words())
                        .map(s -> "; did you mean '" + s + "'?")
                        .orElse(""),
                range.why().isEmpty()
                    ? "see 'qrbench list-plugins' for every key and its range"
                    : range.why()));
        bad.add(pointer);
      }
    } else if (range != null && node.isNumber() && (!range.integral() || node.isIntegralNumber())) {
      BigDecimal v =
          node.isIntegralNumber()
              ? new BigDecimal(node.bigIntegerValue())
              : BigDecimal.valueOf(node.doubleValue());
      if (!range.contains(v)) {
        problems.add(
            doc.problemAtValue(
                pointer,
                "expected " + range.expected(v) + ", found " + text(v),
                range.why().isEmpty()
                    ? "see 'qrbench list-plugins' for every key and its range"
                    : range.why()));
        bad.add(pointer);
      }
    }
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
  }

  private static String article(String s) {
    return (s.startsWith("integer") ? "an " : "a ") + s;
  }

  static String text(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    double a = s.abs().doubleValue();
    if (s.scale() <= 0 && a < 1e30) {
      return s.toBigInteger().toString();
    }
    return a >= 1e-4 && a < 1e16
        ? s.toPlainString()
        : s.toString().replace("E+", "e").replace("E", "e");
  }
}
