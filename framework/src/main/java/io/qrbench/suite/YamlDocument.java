package io.qrbench.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed YAML document that still knows where each key and value came from. Jackson's trees
 * drop locations, so a second pass over the token stream indexes them by JSON pointer.
 */
final class YamlDocument {
  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper TREES = new ObjectMapper(YAML);

  private final String file;
  private final JsonNode root;
  private final Map<String, int[]> keys;
  private final Map<String, int[]> values;

  private YamlDocument(String file, JsonNode root, Map<String, int[]> keys, Map<String, int[]> values) {
    this.file = file;
    this.root = root;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Parses {@code text}.
   *
   * @throws SuiteException for a YAML syntax error or a duplicate key, with its location
   */
  static YamlDocument parse(String file, String text) {
    Map<String, int[]> keys = new HashMap<>();
    Map<String, int[]> values = new HashMap<>();
    JsonNode root;
    try {
      root = TREES.readTree(text);
      try (JsonParser p = YAML.createParser(text)) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          int[] at = lineColumn(p.currentTokenLocation());
          if (t == JsonToken.FIELD_NAME) {
            keys.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), at);
          } else if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
            JsonPointer ptr = t.isStructStart()
                ? p.getParsingContext().getParent().pathAsPointer()
                : p.getParsingContext().pathAsPointer();
            values.putIfAbsent(ptr.toString(), at);
          }
        }
      }
    } catch (JsonProcessingException e) {
      int[] at = lineColumn(e.getLocation());
      String msg = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
      throw new SuiteException(java.util.List.of(new SuiteProblem(
          file, at[0], at[1], "", "not valid YAML: " + msg,
          "check the indentation and quoting near this line")));
    } catch (IOException e) {
      throw new SuiteException(java.util.List.of(
          new SuiteProblem(file, 0, 0, "", "cannot read: " + e.getMessage(), "")));
    }
    return new YamlDocument(file, root == null ? MissingNode.getInstance() : root, keys, values);
  }

  /**
   * Reads a YAML file's text.
   *
   * @param what what the file is, for the message ("suite", "training spec")
   * @throws SuiteException naming the file when it cannot be read
   */
  static String read(java.nio.file.Path file, String what) {
    try {
      return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SuiteException(java.util.List.of(new SuiteProblem(file.toString(), 0, 0, "",
          "cannot read the " + what + ": " + e, "check the path")));
    }
  }

  private static int[] lineColumn(JsonLocation loc) {
    return loc == null ? new int[] {0, 0} : new int[] {Math.max(0, loc.getLineNr()), Math.max(0, loc.getColumnNr())};
  }

  String file() {
    return file;
  }

  JsonNode root() {
    return root;
  }

  /**
   * The location of the thing at {@code pointer}: its key when it has one (unknown or misspelled
   * keys are reported there), else its value; the nearest enclosing location when neither is known.
   */
  int[] keyLocation(String pointer) {
    for (String p = pointer; ; p = parent(p)) {
      int[] at = keys.containsKey(p) ? keys.get(p) : values.get(p);
      if (at != null || p.isEmpty()) {
        return at == null ? new int[] {1, 1} : at;
      }
    }
  }

  /** The location of the value at {@code pointer}, falling back to its key and its parents. */
  int[] valueLocation(String pointer) {
    int[] at = values.get(pointer);
    return at != null ? at : keyLocation(pointer);
  }

  /** {@code /perturbations/2/epsilon} as {@code perturbations[2].epsilon}. */
  String displayPath(String pointer) {
    StringBuilder sb = new StringBuilder();
    JsonNode node = root;
    JsonPointer ptr = JsonPointer.compile(pointer);
    while (!ptr.matches()) {
      String seg = ptr.getMatchingProperty();
      if (node != null && node.isArray()) {
        sb.append('[').append(seg).append(']');
        node = node.get(ptr.getMatchingIndex());
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(seg);
        node = node == null ? null : node.get(seg);
      }
      ptr = ptr.tail();
    }
    return sb.toString();
  }

  SuiteProblem problemAtKey(String pointer, String problem, String fix) {
    int[] at = keyLocation(pointer);
    return new SuiteProblem(file, at[0], at[1], displayPath(pointer), problem, fix);
  }

  SuiteProblem problemAtValue(String pointer, String problem, String fix) {
    int[] at = valueLocation(pointer);
    return new SuiteProblem(file, at[0], at[1], displayPath(pointer), problem, fix);
  }

  static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }

  static String child(String pointer, String name) {
    return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }
}
