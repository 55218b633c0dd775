package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML text to a JSON tree and the line and column of every key and value, through SnakeYAML's
 * composer (Jackson's YAML reader reads an alias as its anchor's name and knows no merge keys).
 * Aliases resolve to what their anchors name and YAML 1.1 merge keys ({@code <<: *base}, or a list
 * of mappings, earlier ones first) merge, keys written in the mapping itself winning. Scalars are
 * typed as Jackson types them (SnakeYAML's resolver: {@code yes} is true, {@code 012} octal).
 * Limits keep hostile files harmless: nesting depth, aliases to collections, and the values aliases
 * may copy (a "billion laughs" stops at {@link #MAX_ALIAS_VALUES}).
 */
final class YamlReader {
  static final int MAX_DEPTH = 64;
  static final int MAX_ALIASES = 50;
  static final int MAX_ALIAS_VALUES = 100_000;
  private static final Set<Tag> SCALAR_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.MERGE);
  private static final String FIX = "check the indentation and quoting near this line";
  // SnakeYAML's wording of two problems that deserve their own message
  private static final String UNDEFINED_ALIAS = "found undefined alias";
  private static final String GLOBAL_TAG = "Global tag is not allowed:";

  /** The tree and the location ({line, column}, 1-based) of each key and value by JSON pointer. */
  record Parsed(JsonNode root, Map<String, int[]> keys, Map<String, int[]> values) {}

  private final String file;
  private final List<SuiteProblem> problems = new ArrayList<>();
  private final Map<String, int[]> keys = new HashMap<>();
  private final Map<String, int[]> values = new HashMap<>();
  private final Set<Node> converted = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
  private int copied;

  private YamlReader(String file) {
    this.file = file;
  }

  /** Parses one YAML document; every problem found is thrown at once. */
  static Parsed parse(String file, String text) {
    YamlReader r = new YamlReader(file);
    JsonNode root = r.read(text);
    if (!r.problems.isEmpty()) {
      throw new SuiteException(r.problems);
    }
    return new Parsed(root, r.keys, r.values);
  }

  private JsonNode read(String text) {
    int[] bad = firstNonPrintable(text);
    if (bad != null) {
      throw fatal(
          bad[0],
          bad[1],
          String.format(Locale.ROOT, "the character U+%04X is not allowed in YAML", bad[2]),
          "remove it; is this a text file saved as UTF-8?");
    }
    LoaderOptions options = options();
    ParserImpl parser = new ParserImpl(new StreamReader(text), options);
    Composer composer = new Composer(parser, new Resolver(), options);
    Node node;
    try {
      if (!composer.checkNode()) {
        return MissingNode.getInstance();
      }
      node = composer.getNode();
      if (composer.checkNode()) {
        Mark at = parser.peekEvent().getStartMark();
        throw fatal(
            at.getLine() + 1,
            at.getColumn() + 1,
            "a second YAML document starts here ('---')",
            "a file holds one document: remove the '---' line and what follows, or merge it into the first");
      }
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : String.valueOf(e.getContext());
      String fix = FIX;
      if (problem.startsWith(UNDEFINED_ALIAS)) {
        String name = problem.substring(UNDEFINED_ALIAS.length()).trim();
        problem = "the alias '*" + name + "' names no anchor written before it";
        fix = "write '&" + name + "' before the value to reuse, earlier in the file";
      } else if (problem.startsWith(GLOBAL_TAG)) {
        problem =
            "the YAML tag '" + problem.substring(GLOBAL_TAG.length()).trim() + "' is not supported";
        fix = "remove the tag ('!!...') before the value";
      } else {
        problem = "not valid YAML: " + problem;
      }
      throw fatal(
          at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, problem, fix);
    } catch (YAMLException e) {
      throw limitExceeded(text);
    }
    return convert(node, "", 0);
  }

  private static LoaderOptions options() {
    LoaderOptions o = new LoaderOptions();
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setMaxAliasesForCollections(MAX_ALIASES);
    o.setAllowRecursiveKeys(false);
    o.setMergeOnCompose(false);
    o.setCodePointLimit(8 * 1024 * 1024); // the callers limit files to 1 MB first
    return o;
  }

  private JsonNode convert(Node node, String pointer, int depth) {
    if (!open.add(node)) {
      throw fatal(
          node.getStartMark(),
          "an alias here names the list or mapping that contains it",
          "an anchor can only be used after its list or mapping ends");
    }
    try {
      if (!converted.add(node) && ++copied > MAX_ALIAS_VALUES) {
        throw fatal(
            node.getStartMark(),
            "aliases expand to more than " + MAX_ALIAS_VALUES + " values",
            "a suite needs few aliases; this looks like a 'billion laughs' document");
      }
      if (depth > MAX_DEPTH) {
        throw fatal(
            node.getStartMark(),
            "nested deeper than " + MAX_DEPTH + " levels (through aliases)",
            "flatten the document");
      }
      values.putIfAbsent(pointer, at(node.getStartMark()));
      if (node instanceof ScalarNode s) {
        return scalar(s);
      }
      checkTag(node, Tag.SEQ, Tag.MAP);
      if (node instanceof SequenceNode q) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        List<Node> items = q.getValue();
        for (int i = 0; i < items.size(); i++) {
          a.add(convert(items.get(i), YamlDocument.child(pointer, i), depth + 1));
        }
        return a;
      }
      return mapping((MappingNode) node, pointer, depth);
    } finally {
      open.remove(node);
    }
  }

  /** A mapping: its own keys in document order, merged ones where their {@code <<} stands. */
  private JsonNode mapping(MappingNode m, String pointer, int depth) {
    Map<String, JsonNode> own = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (isMerge(t.getKeyNode())) {
        continue;
      }
      String key = key(t.getKeyNode());
      if (key == null) {
        continue;
      }
      if (own.containsKey(key)) {
        problems.add(
            problem(
                t.getKeyNode().getStartMark(),
                "duplicate key '" + key + "'",
                "keep one '" + key + ":' in this mapping"));
        continue;
      }
      String child = YamlDocument.child(pointer, key);
      keys.putIfAbsent(child, at(t.getKeyNode().getStartMark()));
      own.put(key, convert(t.getValueNode(), child, depth + 1));
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    boolean merged = false;
    for (NodeTuple t : m.getValue()) {
      if (!isMerge(t.getKeyNode())) {
        String key = key(t.getKeyNode());
        if (key != null && own.containsKey(key) && !out.has(key)) {
          out.set(key, own.get(key));
        }
      } else if (!merged) {
        merged = true;
        // every '<<' of the mapping, in order: the first source to give a key wins, own keys over
        // all
        for (NodeTuple mt : m.getValue()) {
          if (isMerge(mt.getKeyNode())) {
            for (MappingNode source : mergeSources(mt.getValueNode())) {
              convert(source, pointer, depth)
                  .fields()
                  .forEachRemaining(
                      f -> {
                        if (!own.containsKey(f.getKey()) && !out.has(f.getKey())) {
                          out.set(f.getKey(), f.getValue());
                        }
                      });
            }
          }
        }
      }
    }
    return out;
  }

  private List<MappingNode> mergeSources(Node value) {
    if (value instanceof MappingNode m) {
      return List.of(m);
    }
    List<MappingNode> sources = new ArrayList<>();
    if (value instanceof SequenceNode q
        && q.getValue().stream().allMatch(n -> n instanceof MappingNode)) {
      q.getValue().forEach(n -> sources.add((MappingNode) n));
      return sources;
    }
    problems.add(
        problem(
            value.getStartMark(),
            "'<<' merges mappings, found "
                + (value instanceof ScalarNode
                    ? "'" + ((ScalarNode) value).getValue() + "'"
                    : "a list holding something else"),
            "write '<<: *anchor' naming a mapping, or '<<: [*a, *b]'"));
    return sources;
  }

  private static boolean isMerge(Node key) {
    return key instanceof ScalarNode && key.getTag().equals(Tag.MERGE);
  }

  private String key(Node key) {
    if (key instanceof ScalarNode s) {
      checkTag(s, Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);
      return s.getValue();
    }
    problems.add(
        problem(
            key.getStartMark(),
            "a key must be a name, found a " + (key instanceof SequenceNode ? "list" : "mapping"),
            "write 'name: value'"));
    return null;
  }

  private JsonNode scalar(ScalarNode s) {
    Tag tag = s.getTag();
    String v = s.getValue();
    if (tag.equals(Tag.NULL)) {
      return NullNode.getInstance();
    }
    if (tag.equals(Tag.BOOL)) {
      String b = v.toLowerCase(Locale.ROOT);
      return BooleanNode.valueOf(b.equals("true") || b.equals("yes") || b.equals("on"));
    }
    if (tag.equals(Tag.INT)) {
      JsonNode n = integer(v);
      return n != null ? n : TextNode.valueOf(v);
    }
    if (tag.equals(Tag.FLOAT)) {
      return floating(s);
    }
    checkTag(s, SCALAR_TAGS.toArray(new Tag[0]));
    return TextNode.valueOf(v);
  }

  private JsonNode floating(ScalarNode s) {
    String v = s.getValue().replace("_", "");
    String bare = v.replaceFirst("^[-+]", "").toLowerCase(Locale.ROOT);
    double d = bare.equals(".nan") || bare.equals(".inf") ? Double.NaN : parseDouble(v);
    if (!Double.isFinite(d)) {
      problems.add(
          problem(
              s.getStartMark(),
              "'" + s.getValue() + "' is not a finite number",
              "NaN and infinity are never valid here; give a number"));
      return TextNode.valueOf(s.getValue());
    }
    return DoubleNode.valueOf(d);
  }

  private static double parseDouble(String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** YAML 1.1 integers as Jackson reads them: underscores, 0b binary, 0x hex, leading-0 octal. */
  static JsonNode integer(String text) {
    String v = text.replace("_", "");
    boolean negative = v.startsWith("-");
    if (negative || v.startsWith("+")) {
      v = v.substring(1);
    }
    int radix = 10;
    if (v.startsWith("0b")) {
      radix = 2;
      v = v.substring(2);
    } else if (v.startsWith("0x")) {
      radix = 16;
      v = v.substring(2);
    } else if (v.length() > 1 && v.startsWith("0")) {
      radix = 8;
      v = v.substring(1);
    }
    BigInteger n;
    try {
      n = new BigInteger(v, radix);
    } catch (NumberFormatException e) {
      return null; // e.g. sexagesimal 1:20, which Jackson keeps as text
    }
    n = negative ? n.negate() : n;
    if (n.bitLength() < 32) {
      return IntNode.valueOf(n.intValue());
    }
    return n.bitLength() < 64 ? LongNode.valueOf(n.longValue()) : BigIntegerNode.valueOf(n);
  }

  private void checkTag(Node node, Tag... allowed) {
    for (Tag t : allowed) {
      if (node.getTag().equals(t)) {
        return;
      }
    }
    problems.add(
        problem(
            node.getStartMark(),
            "the YAML tag '" + node.getTag().getValue() + "' is not supported",
            "remove the tag ('!...') before the value"));
  }

  /** Where the nesting or alias limit that SnakeYAML hit (it says no place) was passed. */
  private SuiteException limitExceeded(String text) {
    ParserImpl events = new ParserImpl(new StreamReader(text), new LoaderOptions());
    Set<String> collections = new HashSet<>();
    int depth = 0;
    int aliases = 0;
    try {
      while (!events.checkEvent(Event.ID.StreamEnd)) {
        Event e = events.getEvent();
        if (e instanceof CollectionStartEvent c) {
          if (++depth > MAX_DEPTH) {
            return fatal(
                e.getStartMark(),
                "nested deeper than " + MAX_DEPTH + " levels",
                "flatten the document");
          }
          if (c.getAnchor() != null) {
            collections.add(c.getAnchor());
          }
        } else if (e instanceof CollectionEndEvent) {
          depth--;
        } else if (e instanceof AliasEvent a
            && collections.contains(a.getAnchor())
            && ++aliases > MAX_ALIASES) {
          return fatal(
              e.getStartMark(),
              "more than " + MAX_ALIASES + " aliases to lists or mappings",
              "a suite needs few aliases; this looks like a 'billion laughs' document");
        }
      }
    } catch (YAMLException e) {
      // the composer failed first; fall through to the generic message
    }
    return fatal(0, 0, "nested too deep or too many aliases", "simplify the document");
  }

  /**
   * The first character YAML does not allow (SnakeYAML's own message says no line): line, column,
   * code point; null when there is none.
   */
  static int[] firstNonPrintable(String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c) && !(c == 0xFEFF && i == 0)) {
        return new int[] {line, column, c};
      }
      i += Character.charCount(c);
      if (c == '\n' || (c == '\r' && (i >= text.length() || text.charAt(i) != '\n'))) {
        line++;
        column = 1;
      } else if (c != '\r') {
        column++;
      }
    }
    return null;
  }

  private static int[] at(Mark m) {
    return new int[] {m.getLine() + 1, m.getColumn() + 1};
  }

  private SuiteProblem problem(Mark m, String problem, String fix) {
    return new SuiteProblem(file, m.getLine() + 1, m.getColumn() + 1, "", problem, fix);
  }

  private SuiteException fatal(Mark m, String problem, String fix) {
    return fatal(m.getLine() + 1, m.getColumn() + 1, problem, fix);
  }

  private SuiteException fatal(int line, int column, String problem, String fix) {
    List<SuiteProblem> all = new ArrayList<>(problems);
    all.add(new SuiteProblem(file, line, column, "", problem, fix));
    return new SuiteException(all);
  }
}
