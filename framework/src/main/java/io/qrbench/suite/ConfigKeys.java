package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
      String kind = kindOf(c);
      keys.add(
          new Key(
              KEBAB.translate(c.getName()),
              kind,
              defaults == null ? "required" : shown(value(c, defaults)),
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

  /**
   * A component's type in a suite's words: {@code integer in [1, 8]}, {@code list of numbers in [0,
   * 1]}, {@code layer | channel}, {@code number in (0, 10] | optimal}.
   */
  static String kindOf(RecordComponent c) {
    Type t = c.getGenericType();
    int lists = 0;
    while (t instanceof ParameterizedType p
        && Collection.class.isAssignableFrom((Class<?>) p.getRawType())) {
      t = p.getActualTypeArguments()[0];
      lists++;
    }
    String kind = t instanceof Class<?> k ? scalar(k, Bounds.of(c)) : "value";
    for (int i = 0; i < lists; i++) {
      kind = "list of " + plural(kind);
    }
    return kind;
  }

  private static String scalar(Class<?> c, Bounds.Range range) {
    if (c.isEnum()) {
      return Arrays.stream(c.getEnumConstants())
          .map(e -> e.toString().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(" | "));
    }
    if (range != null) {
      // "integer in [1, 8]"; an Object component: "number in (0, 10] | optimal"
      return range.describe()
          + range.words().stream().map(w -> " | " + w).collect(Collectors.joining());
    }
    if (c == Object.class) {
      return "number or word";
    }
    String s = ConfigBinder.expected(c);
    return s.startsWith("an ") ? s.substring(3) : s.startsWith("a ") ? s.substring(2) : s;
  }

  /** "integer in [1, 8]" becomes "integers in [1, 8]". */
  private static String plural(String kind) {
    for (String noun : List.of("integer", "number", "string", "list")) {
      if (kind.equals(noun) || kind.startsWith(noun + " ")) {
        return noun + "s" + kind.substring(noun.length());
      }
    }
    return kind;
  }

  /** A default as a suite would write it: enums in lower case, an absent value as none. */
  private static String shown(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Enum<?> e) {
      return e.toString().toLowerCase(Locale.ROOT);
    }
    if (value instanceof Collection<?> list) {
      return list.stream().map(ConfigKeys::shown).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(value);
  }
}
