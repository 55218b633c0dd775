package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands list values into levels: {@code epsilon: [0.01, 0.03]} for a key whose record component
 * is a single value becomes two configurations. Several swept keys give their cartesian product, in
 * the order the keys are written; a component that is itself a list is never swept.
 */
final class LevelExpansion {
  private static final PropertyNamingStrategies.KebabCaseStrategy KEBAB =
      new PropertyNamingStrategies.KebabCaseStrategy();

  private LevelExpansion() {}

  /**
   * One configuration of a sweep.
   *
   * @param label {@code key=value} for each swept key, comma-separated; empty without sweeps
   * @param body the configuration with every swept key set to one value
   * @param swept the swept keys, in the order written (their values at this level are in body)
   */
  record Expanded(String label, ObjectNode body, List<String> swept) {}

  static List<Expanded> expand(ObjectNode body, Class<?> configType) {
    Set<String> listKeys = listValuedKeys(configType);
    List<String> swept = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isArray() && !f.getValue().isEmpty() && !listKeys.contains(f.getKey())) {
        swept.add(f.getKey());
      }
    }
    List<Expanded> out = new ArrayList<>();
    out.add(new Expanded("", body.deepCopy(), List.copyOf(swept)));
    for (String key : swept) {
      List<Expanded> next = new ArrayList<>();
      for (Expanded e : out) {
        for (JsonNode v : body.get(key)) {
          ObjectNode b = e.body().deepCopy();
          b.set(key, v);
          String part = key + "=" + (v.isValueNode() ? v.asText() : v.toString());
          next.add(new Expanded(e.label().isEmpty() ? part : e.label() + "," + part, b, e.swept()));
        }
      }
      out = next;
    }
    return out;
  }

  /** The kebab-case keys whose component types are collections or arrays. */
  private static Set<String> listValuedKeys(Class<?> type) {
    Set<String> keys = new HashSet<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        if (Collection.class.isAssignableFrom(c.getType()) || c.getType().isArray()) {
          keys.add(KEBAB.translate(c.getName()));
        }
      }
    }
    return keys;
  }
}
