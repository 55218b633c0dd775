package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.PluginKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plugin and its configuration from outside a suite: a command-line value such as {@code '{id:
 * twn, delta: optimal}'}, or the configuration a weights file recorded. Problems are reported like
 * a suite's.
 */
public final class PluginConfigs {
  private PluginConfigs() {}

  /**
   * Parses a YAML value naming a plugin: a bare id or a flow mapping with {@code id}.
   *
   * @param source what to call the value in messages, e.g. {@code --quantizer}
   * @throws SuiteException when it is malformed or names no known plugin
   */
  public static PluginConfig parse(
      PluginRegistry registry, PluginKind kind, String text, String source) {
    return resolve(registry, kind, YamlDocument.parse(source, text), source);
  }

  /**
   * Binds a plugin from its id and recorded configuration (as in a weights file's metadata).
   *
   * @throws SuiteException when the id is unknown or the configuration no longer binds
   */
  public static PluginConfig of(
      PluginRegistry registry,
      PluginKind kind,
      String id,
      Map<String, Object> config,
      String source) {
    ObjectNode node = ConfigBinder.MAPPER.createObjectNode();
    node.put("id", id);
    if (config != null) {
      node.setAll((ObjectNode) ConfigBinder.MAPPER.valueToTree(config));
    }
    String text = node.toString();
    return resolve(registry, kind, YamlDocument.parse(source, text), source);
  }

  private static PluginConfig resolve(
      PluginRegistry registry, PluginKind kind, YamlDocument doc, String source) {
    List<SuiteProblem> problems = new ArrayList<>();
    ConfigBinder binder = new ConfigBinder(doc, problems);
    JsonNode root = doc.root();
    PluginConfig p =
        root.isMissingNode()
            ? null
            : new PluginResolver(doc, problems, binder, registry).plugin(kind, "", root, Set.of());
    if (root.isMissingNode()) {
      problems.add(
          new SuiteProblem(
              source,
              0,
              0,
              "",
              "no " + kind.label() + " given",
              "name one, e.g. " + registry.ids(kind).stream().findFirst().orElse("...")));
    }
    if (!problems.isEmpty()) {
      throw new SuiteException(problems);
    }
    return p;
  }
}
