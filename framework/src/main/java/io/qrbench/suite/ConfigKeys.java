package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Describes the keys a configuration record accepts, for {@code qrbench list-plugins}. */
public final class ConfigKeys {
  private static final PropertyNamingStrategies.KebabCaseStrategy KEBAB =
      new PropertyNamingStrategies.KebabCaseStrategy();

  private ConfigKeys() {}

  /**
   * One key.
   *
   * @param name the kebab-case key
   * @param type the value's type and range, in words
   * @param defaultValue the value used when the key is left out, or "required"
   * @param description from {@link JsonPropertyDescription}, or empty
   */
  public record Key(String name, String type, String defaultValue, String description) {}

  /**
   * The keys of {@code type}. Defaults are what the record holds when bound from an empty mapping;
   * when that fails, the keys without a value are reported as required.
   */
  public static List<Key> of(Class<? extends Record> type) {
    Record defaults = defaults(type);
    List<Key> keys = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      JsonPropertyDescription d = c.getAnnotation(JsonPropertyDescription.class);
      if (d == null && c.getAccessor() != null) {
        d = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
      }
      Bounds.Range range =
          c.getAnnotation(io.qrbench.spi.Bound.class) == null ? null : Bounds.of(c);
      String kind = typeName(c.getGenericType());
      if (range != null) {
        // "integer in [1, 65536]"; "list of integer in [1, 65536]"; "number or optimal (number in
        // (0, 10])"
        String words = range.describe();
        String head = words.contains(" ") ? words.substring(0, words.indexOf(' ')) : words;
        kind =
            words.equals(head)
                ? kind
                : kind.endsWith(head)
                    ? kind + words.substring(head.length())
                    : kind + " (" + words + ")";
      }
      keys.add(
          new Key(
              KEBAB.translate(c.getName()),
              kind,
              defaults == null ? "required" : String.valueOf(value(c, defaults)),
              d == null ? "" : d.value()));
    }
    return keys;
  }

  private static Record defaults(Class<? extends Record> type) {
    try {
      return ConfigBinder.MAPPER.readValue("{}", type);
    } catch (Exception e) {
      return null;
    }
  }

  private static Object value(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return "?";
    }
  }

  private static String typeName(Type t) {
    if (t instanceof ParameterizedType p) {
      return "list of " + typeName(p.getActualTypeArguments()[0]);
    }
    Class<?> c = (Class<?>) t;
    if (c.isEnum()) {
      return Arrays.stream(c.getEnumConstants())
          .map(e -> e.toString().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining("|"));
    }
    String s = ConfigBinder.expected(c);
    return s.startsWith("an ") ? s.substring(3) : s.startsWith("a ") ? s.substring(2) : s;
  }
}
