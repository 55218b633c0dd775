package io.qrbench.suite;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed YAML document that still knows where each key and value came from, by JSON pointer
 * ({@link YamlReader} builds both).
 */
final class YamlDocument {
  /** Suites and training specs are a few kilobytes; anything past this is refused unread. */
  static final int MAX_BYTES = 1024 * 1024;

  private final String file;
  private final JsonNode root;
  private final Map<String, int[]> keys;
  private final Map<String, int[]> values;

  private YamlDocument(
      String file, JsonNode root, Map<String, int[]> keys, Map<String, int[]> values) {
    this.file = file;
    this.root = root;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Parses {@code text}.
   *
   * @throws SuiteException for a YAML syntax error, a duplicate key, a second document, a file too
   *     large or too deeply nested, each with its location
   */
  static YamlDocument parse(String file, String text) {
    if (text.length() > MAX_BYTES) {
      throw tooLarge(file, text.length(), "file");
    }
    YamlReader.Parsed p = YamlReader.parse(file, text);
    return new YamlDocument(file, p.root(), p.keys(), p.values());
  }

  /**
   * Reads a YAML file's text: at most {@link #MAX_BYTES}, UTF-8.
   *
   * @param what what the file is, for the message ("suite", "training spec")
   * @throws SuiteException naming the file when it cannot be read, is too large or is not UTF-8
   */
  static String read(Path file, String what) {
    try {
      if (Files.isDirectory(file)) {
        throw new SuiteException(
            List.of(
                new SuiteProblem(
                    file.toString(),
                    0,
                    0,
                    "",
                    "is a folder, not a " + what,
                    "name the " + what + "'s YAML file")));
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw tooLarge(file.toString(), size, what);
      }
      return decode(file.toString(), Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new SuiteException(
          List.of(
              new SuiteProblem(
                  file.toString(),
                  0,
                  0,
                  "",
                  "cannot read the " + what + ": no such file",
                  "check the path")));
    } catch (IOException e) {
      throw new SuiteException(
          List.of(
              new SuiteProblem(
                  file.toString(),
                  0,
                  0,
                  "",
                  "cannot read the " + what + ": " + e.getMessage(),
                  "check the path and its permissions")));
    }
  }

  private static SuiteException tooLarge(String file, long size, String what) {
    return new SuiteException(
        List.of(
            new SuiteProblem(
                file,
                0,
                0,
                "",
                String.format(
                    Locale.ROOT,
                    "the %s is %.1f MB; qrbench reads suites and training specs of at most 1 MB",
                    what,
                    size / (1024.0 * 1024)),
                "a suite is a few kilobytes of YAML: is this the right file?")));
  }

  /**
   * UTF-8 text, a leading byte-order mark dropped; the first invalid byte is named with its line.
   */
  static String decode(String file, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      String before = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8);
      int column = before.codePointCount(0, before.length()) + 1;
      throw new SuiteException(
          List.of(
              new SuiteProblem(
                  file,
                  line,
                  column,
                  "",
                  String.format(
                      Locale.ROOT,
                      "not UTF-8 at byte %d (line %d): 0x%02X cannot start or continue a UTF-8 character",
                      at + 1,
                      line,
                      bytes[at] & 0xff),
                  "save the file as UTF-8")));
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
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
    for (String p = inTree(pointer); ; p = parent(p)) {
      int[] at = keys.containsKey(p) ? keys.get(p) : values.get(p);
      if (at != null || p.isEmpty()) {
        return at == null ? new int[] {1, 1} : at;
      }
    }
  }

  /** The location of the value at {@code pointer}, falling back to its key and its parents. */
  int[] valueLocation(String pointer) {
    int[] at = values.get(inTree(pointer));
    return at != null ? at : keyLocation(pointer);
  }

  /**
   * {@code pointer} as it is in the tree. A single value where a list is expected is read as a list
   * of one ({@code models: {name: FP, ...}}): its index 0 is not in the tree and is dropped.
   */
  private String inTree(String pointer) {
    StringBuilder sb = new StringBuilder();
    JsonNode node = root;
    for (JsonPointer ptr = JsonPointer.compile(pointer); !ptr.matches(); ptr = ptr.tail()) {
      String seg = ptr.getMatchingProperty();
      if (wrapped(node, seg)) {
        continue;
      }
      sb.append('/').append(seg.replace("~", "~0").replace("/", "~1"));
      node =
          node == null ? null : node.isArray() ? node.get(ptr.getMatchingIndex()) : node.get(seg);
    }
    return sb.toString();
  }

  private static boolean wrapped(JsonNode node, String seg) {
    return seg.equals("0")
        && node != null
        && !node.isArray()
        && !(node.isObject() && node.has(seg));
  }

  /**
   * {@code /perturbations/2/epsilon} as {@code perturbations[2].epsilon}: list indexes always in
   * brackets, also where a single value stands for a list of one.
   */
  String displayPath(String pointer) {
    StringBuilder sb = new StringBuilder();
    JsonNode node = root;
    for (JsonPointer ptr = JsonPointer.compile(pointer); !ptr.matches(); ptr = ptr.tail()) {
      String seg = ptr.getMatchingProperty();
      boolean index =
          ptr.getMatchingIndex() >= 0 && !(node != null && node.isObject() && node.has(seg));
      if (index) {
        sb.append('[').append(seg).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(seg);
      }
      if (!wrapped(node, seg)) {
        node =
            node == null ? null : node.isArray() ? node.get(ptr.getMatchingIndex()) : node.get(seg);
      }
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
