package io.qrbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.result.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Upgrades a {@code qrbench-results/1} tree to the current schema before it is validated and bound,
 * so that the rest of qrbench reads one shape.
 *
 * <p>The one difference: a /1 case's {@code level} is its label ({@code "epsilon=0.03"}); a /2
 * case's is {@code {"label": ..., "values": {"epsilon": 0.03}}}. The values are taken from the
 * case's {@code params} (the configuration at that level, already typed as the suite wrote it); the
 * label only says which keys were swept. This is the only place a label is taken apart.
 */
final class ResultsUpgrade {
  private ResultsUpgrade() {}

  static void fromSchema1(ObjectNode root) {
    root.put("schema", RunResult.SCHEMA);
    JsonNode cases = root.get("cases");
    if (cases == null || !cases.isArray()) {
      return; // validation names what is missing
    }
    for (JsonNode c : cases) {
      if (c instanceof ObjectNode o
          && (o.get("level") == null || o.get("level").isTextual() || o.get("level").isNull())) {
        o.set("level", level(o.path("level").asText(""), o.get("params")));
      }
    }
  }

  /** The /2 level of a /1 label and its case's params. */
  static ObjectNode level(String label, JsonNode params) {
    ObjectNode level = JsonNodeFactory.instance.objectNode();
    level.put("label", label);
    ObjectNode values = level.putObject("values");
    for (String[] pair : pairs(label)) {
      JsonNode typed = params != null && params.isObject() ? params.get(pair[0]) : null;
      if (typed != null && !typed.isNull()) {
        values.set(pair[0], typed);
      } else {
        values.set(pair[0], scalar(pair[1]));
      }
    }
    return level;
  }

  /**
   * A label's {@code key=value} pairs: the runner joined them with {@code ,}, and a value holding a
   * comma (a swept list, written as JSON) continues until the next part that has a {@code =}.
   */
  private static List<String[]> pairs(String label) {
    List<String[]> pairs = new ArrayList<>();
    if (label.isBlank()) {
      return pairs;
    }
    for (String part : label.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0
          && part.substring(0, eq).indexOf('[') < 0
          && part.substring(0, eq).indexOf('"') < 0) {
        pairs.add(new String[] {part.substring(0, eq).trim(), part.substring(eq + 1).trim()});
      } else if (!pairs.isEmpty()) {
        String[] last = pairs.get(pairs.size() - 1);
        last[1] = last[1] + "," + part;
      } else {
        pairs.add(new String[] {part.trim(), ""});
      }
    }
    return pairs;
  }

  /** A value's text as the number it spells, else as text. */
  private static JsonNode scalar(String text) {
    try {
      return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
    } catch (NumberFormatException e) {
      try {
        double v = Double.parseDouble(text);
        if (Double.isFinite(v)) {
          return JsonNodeFactory.instance.numberNode(v);
        }
      } catch (NumberFormatException ignored) {
        // text, below
      }
    }
    return JsonNodeFactory.instance.textNode(text);
  }
}
