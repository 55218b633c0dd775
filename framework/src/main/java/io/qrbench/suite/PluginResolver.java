package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.registry.UnknownPluginException;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a YAML node that names a plugin ({@code gaussian} or {@code {id: gaussian, var: 0.01}})
 * into the plugin and its bound configuration, reporting unknown ids with the closest known one.
 */
final class PluginResolver {
  private final YamlDocument doc;
  private final List<SuiteProblem> problems;
  private final ConfigBinder binder;
  private final PluginRegistry registry;

  PluginResolver(
      YamlDocument doc, List<SuiteProblem> problems, ConfigBinder binder, PluginRegistry registry) {
    this.doc = doc;
    this.problems = problems;
    this.binder = binder;
    this.registry = registry;
  }

  /** The plugin and the node's keys that belong to it (all but {@code id} and the framework's). */
  record Resolved(Plugin<?> plugin, ObjectNode body) {}

  /**
   * Resolves and binds a plugin node; null (with a problem recorded) when it cannot be.
   *
   * @param frameworkKeys keys of the node that the framework handles, not the plugin
   */
  PluginConfig plugin(PluginKind kind, String at, JsonNode node, Set<String> frameworkKeys) {
    Optional<Resolved> r = resolve(kind, at, node, frameworkKeys);
    if (r.isEmpty()) {
      return null;
    }
    Plugin<?> plugin = r.get().plugin();
    Set<String> siblings = new java.util.TreeSet<>(frameworkKeys);
    if (node.isObject()) {
      siblings.add("id");
    }
    return binder
        .bind(at, r.get().body(), plugin.configType(), siblings)
        .map(cfg -> new PluginConfig(kind, plugin, (Record) cfg, params(r.get().body())))
        .orElse(null);
  }

  /** Finds the plugin a node names; empty (with a problem recorded) when it names none. */
  Optional<Resolved> resolve(PluginKind kind, String at, JsonNode node, Set<String> frameworkKeys) {
    String id;
    ObjectNode body;
    if (node.isTextual()) {
      id = node.asText();
      body = ConfigBinder.MAPPER.createObjectNode();
    } else if (node.isObject()) {
      JsonNode idNode = node.get("id");
      if (idNode == null || !idNode.isTextual()) {
        problems.add(
            doc.problemAtKey(
                at,
                idNode == null ? "missing key 'id'" : "'id' must be a string",
                "name the " + kind.label() + ", one of: " + String.join(", ", registry.ids(kind))));
        return Optional.empty();
      }
      id = idNode.asText();
      body = ((ObjectNode) node).deepCopy();
      body.remove("id");
      body.remove(frameworkKeys);
    } else {
      problems.add(
          doc.problemAtValue(
              at,
              "expected a "
                  + kind.label()
                  + " id or a mapping with 'id', found "
                  + ConfigBinder.found(node),
              "e.g. '{id: " + registry.ids(kind).stream().findFirst().orElse("...") + "}'"));
      return Optional.empty();
    }
    try {
      return Optional.of(new Resolved(registry.get(kind, id), body));
    } catch (UnknownPluginException e) {
      String idAt = node.isObject() ? at + "/id" : at;
      problems.add(
          doc.problemAtValue(
              idAt,
              "unknown "
                  + kind.label()
                  + " '"
                  + id
                  + "'"
                  + e.suggestion().map(s -> "; did you mean '" + s + "'?").orElse(""),
              "known "
                  + kind.label()
                  + "s: "
                  + String.join(", ", e.known())
                  + " (see 'qrbench list-plugins --kind "
                  + kind.label()
                  + "')"));
      return Optional.empty();
    }
  }

  /** A node's keys and values as plain Java values, in document order. */
  static Map<String, Object> params(JsonNode body) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = ConfigBinder.MAPPER.convertValue(body, LinkedHashMap.class);
    return m;
  }
}
