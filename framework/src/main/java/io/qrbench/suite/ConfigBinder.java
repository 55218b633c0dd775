package io.qrbench.suite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds YAML subtrees to configuration records with Jackson: kebab-case keys, unknown keys are
 * errors, no silent coercion of strings to numbers. Every problem is reported with its location in
 * the suite file, and unknown keys are all collected rather than stopping at the first.
 */
final class ConfigBinder {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private static final PropertyNamingStrategies.KebabCaseStrategy KEBAB =
      new PropertyNamingStrategies.KebabCaseStrategy();

  private final YamlDocument doc;
  private final List<SuiteProblem> problems;

  ConfigBinder(YamlDocument doc, List<SuiteProblem> problems) {
    this.doc = doc;
    this.problems = problems;
  }

  /**
   * Binds {@code node}, found at {@code pointer} in the document, to {@code type}. Problems are
   * added to the shared list. The result is empty when binding failed; unknown keys and values out
   * of their {@link io.qrbench.spi.Bound} are recorded as problems but skipped, so the rest of the
   * document is still checked.
   */
  <T> Optional<T> bind(String pointer, JsonNode node, Class<T> type) {
    return bind(pointer, node, type, Bounds.Range.of(type, null));
  }

  /**
   * {@link #bind(String, JsonNode, Class)} of a mapping that also holds {@code siblingKeys}, keys
   * the caller reads itself (a plugin's {@code id}, a dataset's {@code split}): they were removed
   * from {@code node} but are offered, with the record's keys, when a key at its top is unknown.
   */
  <T> Optional<T> bind(String pointer, JsonNode node, Class<T> type, Set<String> siblingKeys) {
    return bind(pointer, node, type, Bounds.Range.of(type, null), siblingKeys);
  }

  /** {@link #bind(String, JsonNode, Class)} of a bare number held to {@code range}. */
  <T> Optional<T> bind(String pointer, JsonNode node, Class<T> type, Bounds.Range range) {
    return bind(pointer, node, type, range, Set.of());
  }

  private <T> Optional<T> bind(
      String pointer, JsonNode node, Class<T> type, Bounds.Range range, Set<String> siblingKeys) {
    int before = problems.size();
    JsonNode checked = Bounds.strip(doc, pointer, node, type, range, problems);
    boolean outOfRange = problems.size() > before;
    if (checked == null) {
      return Optional.empty();
    }
    // Jackson stops at a mapping's first value of the wrong type: that key is dropped and the rest
    // bound again, so that one run of 'validate' names every bad key of the mapping, not just one
    List<SuiteProblem> badValues = new ArrayList<>();
    JsonNode current = checked;
    while (true) {
      List<SuiteProblem> unknown = new ArrayList<>(); // this attempt's: earlier ones saw the same
      try {
        T value =
            MAPPER
                .readerFor(type)
                .withHandler(new UnknownKeys(pointer, current, siblingKeys, unknown))
                .readValue(current);
        problems.addAll(badValues);
        problems.addAll(unknown);
        return badValues.isEmpty() ? Optional.ofNullable(value) : Optional.empty();
      } catch (ValueInstantiationException e) {
        problems.addAll(badValues);
        problems.addAll(unknown);
        // else a value was dropped (out of range, wrong type) and the record may miss it: said
        // already
        if (!outOfRange && badValues.isEmpty()) {
          problems.add(describe(pointer, e));
        }
        return Optional.empty();
      } catch (JsonMappingException e) {
        badValues.add(describe(pointer, e));
        String key = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
        if (key == null
            || !(current instanceof ObjectNode o)
            || !o.has(key)
            || badValues.size() > 64) {
          problems.addAll(badValues);
          problems.addAll(unknown);
          return Optional.empty();
        }
        ObjectNode rest = o.deepCopy();
        rest.remove(key);
        current = rest;
      } catch (IOException e) {
        problems.addAll(badValues);
        problems.add(
            doc.problemAtKey(
                pointer, e.getMessage().lines().findFirst().orElse("invalid value"), ""));
        return Optional.empty();
      }
    }
  }

  private SuiteProblem describe(String base, JsonMappingException e) {
    String pointer =
        base
            + e.getPath().stream()
                .map(
                    r ->
                        r.getFieldName() != null
                            ? "/" + r.getFieldName()
                            : r.getIndex() >= 0 ? "/" + r.getIndex() : "")
                .collect(Collectors.joining());
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String msg = String.valueOf(cause.getMessage());
      // a record's own check names its key first ("width must be in 1..1024"): point at that value
      String key = msg.split("[ :]", 2)[0];
      boolean ownKey =
          v.getType() != null
              && v.getType().getRawClass().isRecord()
              && Arrays.stream(v.getType().getRawClass().getRecordComponents())
                  .anyMatch(c -> KEBAB.translate(c.getName()).equals(key))
              && doc.root().at(pointer).has(key);
      String fix = "see 'qrbench list-plugins' for every key, its type and its range";
      return ownKey
          ? doc.problemAtValue(YamlDocument.child(pointer, key), msg, fix)
          : doc.problemAtKey(pointer, msg, fix);
    }
    if (e instanceof InvalidFormatException f) {
      return doc.problemAtValue(
          pointer,
          "expected " + expected(f.getTargetType()) + ", found '" + f.getValue() + "'",
          hint(f.getTargetType()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      JsonNode found = doc.root().at(pointer);
      return doc.problemAtValue(
          pointer,
          "expected " + expected(m.getTargetType()) + ", found " + found(found),
          hint(m.getTargetType()));
    }
    String msg = e.getOriginalMessage().lines().findFirst().orElse("invalid value");
    return doc.problemAtValue(pointer, msg, "");
  }

  static String expected(Class<?> t) {
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "an integer";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t.isEnum()) {
      return "one of "
          + Arrays.stream(t.getEnumConstants())
              .map(c -> c.toString().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "a mapping of keys to values";
    }
    return "a " + t.getSimpleName();
  }

  private static String hint(Class<?> t) {
    if (t.isRecord() || Map.class.isAssignableFrom(t)) {
      return "write it as indented 'key: value' lines";
    }
    if (Collection.class.isAssignableFrom(t)) {
      return "write it as [a, b] or as '- item' lines";
    }
    return "";
  }

  static String found(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return "nothing";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    return "'" + n.asText() + "'";
  }

  /**
   * Records every unknown key, with the closest known one, and skips its value. Records are bound
   * through a buffer, whose parser path no longer matches the document, so the key is located in
   * the bound tree itself: its n-th unknown occurrence is the n-th object holding that key.
   */
  private final class UnknownKeys extends DeserializationProblemHandler {
    private final String base;
    private final JsonNode root;
    private final Set<String> siblingKeys;
    private final List<SuiteProblem> found;
    private final Map<String, Integer> seen = new java.util.HashMap<>();

    UnknownKeys(String base, JsonNode root, Set<String> siblingKeys, List<SuiteProblem> found) {
      this.base = base;
      this.root = root;
      this.siblingKeys = siblingKeys;
      this.found = found;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      List<String> holders = new ArrayList<>();
      collect(root, base, propertyName, holders);
      int n = seen.merge(propertyName, 1, Integer::sum) - 1;
      String pointer;
      if (n < holders.size()) {
        pointer = holders.get(n);
      } else {
        pointer = base + p.getParsingContext().pathAsPointer().toString();
        if (!pointer.endsWith("/" + propertyName)) {
          pointer = YamlDocument.child(pointer, propertyName);
        }
      }
      List<String> known = new ArrayList<>();
      for (Object k : deserializer.getKnownPropertyNames()) {
        known.add(String.valueOf(k));
      }
      known.sort(null);
      List<String> siblings =
          pointer.equals(YamlDocument.child(base, propertyName))
              ? siblingKeys.stream().sorted().toList()
              : List.of();
      found.add(unknownKey(doc, pointer, propertyName, known, siblings));
      p.skipChildren();
      return true;
    }

    /** Pointers of {@code key} in every object under {@code node}, in document order. */
    private static void collect(JsonNode node, String at, String key, List<String> out) {
      if (node == null) {
        return;
      }
      if (node.isObject()) {
        var fields = node.fields();
        while (fields.hasNext()) {
          var f = fields.next();
          String child = YamlDocument.child(at, f.getKey());
          if (f.getKey().equals(key)) {
            out.add(child);
          }
          collect(f.getValue(), child, key, out);
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          collect(node.get(i), YamlDocument.child(at, i), key, out);
        }
      }
    }
  }

  static SuiteProblem unknownKey(YamlDocument doc, String pointer, String key, List<String> known) {
    return unknownKey(doc, pointer, key, known, List.of());
  }

  /**
   * An unknown key, with the closest of {@code known} (the record's keys) and {@code siblings} (the
   * keys the framework reads beside them, like {@code split}) and both lists as the fix.
   */
  static SuiteProblem unknownKey(
      YamlDocument doc, String pointer, String key, List<String> known, List<String> siblings) {
    List<String> all = new ArrayList<>(known);
    all.addAll(siblings);
    Optional<String> near = io.qrbench.registry.Suggestions.closest(key, all);
    String problem =
        "unknown key '" + key + "'" + near.map(n -> "; did you mean '" + n + "'?").orElse("");
    String besides = siblings.isEmpty() ? "" : " (and " + String.join(", ", siblings) + ")";
    String fix =
        known.isEmpty()
            ? "this entry takes no keys"
                + (siblings.isEmpty() ? "" : " but " + String.join(", ", siblings))
                + "; remove it"
            : "known keys here: " + String.join(", ", known) + besides;
    return doc.problemAtKey(pointer, problem, fix);
  }
}
