package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.compose.ChainPerturbation;
import io.qrbench.compose.InputSpace;
import io.qrbench.compose.SpacedPerturbation;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.Suite.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The perturbation keys the framework handles for every plugin: {@code space:} and {@code clip:}
 * (where a perturbation works and the range it clips to), and the {@code chain} of perturbations
 * applied in sequence ({@code of:}, {@code stages:}).
 */
final class PerturbationFraming {
  /** The id that names a chain; no plugin may take it (the registry holds plugins only). */
  static final String CHAIN = "chain";

  /** Keys of a perturbation or a chain step that the framework reads. */
  static final Set<String> SPACE_KEYS = Set.of("space", "clip");

  private final YamlDocument doc;
  private final List<SuiteProblem> problems;
  private final ConfigBinder binder;
  private final PluginResolver resolver;

  PerturbationFraming(
      YamlDocument doc, List<SuiteProblem> problems, ConfigBinder binder, PluginResolver resolver) {
    this.doc = doc;
    this.problems = problems;
    this.binder = binder;
    this.resolver = resolver;
  }

  /** Whether {@code node} names a chain. */
  static boolean isChain(JsonNode node) {
    JsonNode id = node.isObject() ? node.get("id") : node;
    return id != null && id.isTextual() && CHAIN.equals(id.asText());
  }

  /**
   * {@code plugin} in the space {@code node} asks for ({@code pixel} when it names none); null with
   * a problem recorded when the keys are wrong.
   */
  Perturbation<?> spaced(String at, JsonNode node, Perturbation<?> plugin) {
    if (!node.isObject()) {
      return plugin;
    }
    InputSpace space = InputSpace.PIXEL;
    JsonNode s = node.get("space");
    boolean ok = true;
    if (s != null) {
      String known =
          Arrays.stream(InputSpace.values()).map(InputSpace::key).collect(Collectors.joining(", "));
      if (!s.isTextual()) {
        problems.add(
            doc.problemAtValue(
                at + "/space",
                "expected one of " + known + ", found " + ConfigBinder.found(s),
                "e.g. 'space: normalised'"));
        ok = false;
      } else {
        Optional<InputSpace> named =
            Arrays.stream(InputSpace.values())
                .filter(v -> v.key().equals(s.asText().toLowerCase(Locale.ROOT)))
                .findFirst();
        if (named.isEmpty()) {
          problems.add(
              doc.problemAtValue(
                  at + "/space",
                  "unknown space '" + s.asText() + "'",
                  "one of: "
                      + known
                      + " (pixel: the [0,1] images; normalised: the model's (x - mean) / std;"
                      + " pixel255: the images times 255)"));
          ok = false;
        } else {
          space = named.get();
        }
      }
    }
    float[] clip = null;
    JsonNode c = node.get("clip");
    if (c != null) {
      if (!c.isArray()
          || c.size() != 2
          || !c.get(0).isNumber()
          || !c.get(1).isNumber()
          || !(c.get(0).doubleValue() < c.get(1).doubleValue())) {
        problems.add(
            doc.problemAtValue(
                at + "/clip",
                "expected [low, high] with low < high, found " + ConfigBinder.found(c),
                "e.g. 'clip: [0, 1]' (torchattacks' clamp, whatever the space)"));
        ok = false;
      } else {
        clip = new float[] {(float) c.get(0).doubleValue(), (float) c.get(1).doubleValue()};
      }
    }
    return ok ? SpacedPerturbation.of(plugin, space, clip) : null;
  }

  /**
   * A chain node: its steps resolved and bound like top-level perturbations, and its levels (the
   * whole chain, or with {@code stages: true} one per prefix, labelled {@code steps=k}). Empty with
   * problems recorded when a step is wrong.
   */
  Optional<Chain> chain(String at, JsonNode node) {
    if (!node.isObject()
        || !(node.get("of") instanceof com.fasterxml.jackson.databind.node.ArrayNode of)
        || of.isEmpty()) {
      problems.add(
          doc.problemAtKey(
              at,
              "a chain lists its steps under 'of', at least one",
              "e.g. '{id: chain, of: [gaussian, {id: poisson}, speckle]}'"));
      return Optional.empty();
    }
    for (String key : List.of("space", "clip")) {
      if (node.has(key)) {
        problems.add(
            doc.problemAtKey(
                at + "/" + key,
                "a chain takes '" + key + "' on its steps, not on itself",
                "move '" + key + "' into each step of 'of' that works in that space"));
      }
    }
    Set<String> allowed = Set.of("id", "name", "source", "of", "stages");
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k) && !SPACE_KEYS.contains(k)) {
                problems.add(
                    doc.problemAtKey(
                        at + "/" + k,
                        "unknown key '" + k + "' for a chain",
                        "a chain takes: " + String.join(", ", allowed)));
              }
            });
    boolean stages = false;
    if (node.has("stages")) {
      stages = binder.bind(at + "/stages", node.get("stages"), Boolean.class).orElse(false);
    }
    List<ChainPerturbation.Step> steps = new ArrayList<>();
    int before = problems.size();
    for (int j = 0; j < of.size(); j++) {
      step(YamlDocument.child(at + "/of", j), of.get(j)).ifPresent(steps::add);
    }
    if (problems.size() > before || steps.size() != of.size()) {
      return Optional.empty();
    }
    ChainPerturbation chain = new ChainPerturbation(steps);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("of", steps.stream().map(s -> (Object) s.params()).toList());
    List<Level> levels = new ArrayList<>();
    if (stages) {
      for (int k = 1; k <= steps.size(); k++) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("steps", k);
        levels.add(new Level("steps=" + k, new ChainPerturbation.Config(k), p, Map.of("steps", k)));
      }
    } else {
      levels.add(new Level("", new ChainPerturbation.Config(steps.size()), params, Map.of()));
    }
    return Optional.of(new Chain(chain, levels));
  }

  /** A chain and its levels. */
  record Chain(ChainPerturbation plugin, List<Level> levels) {}

  private Optional<ChainPerturbation.Step> step(String at, JsonNode node) {
    if (isChain(node)) {
      problems.add(
          doc.problemAtValue(
              node.isObject() ? at + "/id" : at,
              "a chain's step cannot be a chain",
              "list the inner chain's steps in this one's 'of'"));
      return Optional.empty();
    }
    Optional<PluginResolver.Resolved> r =
        resolver.resolve(PluginKind.PERTURBATION, at, node, SPACE_KEYS);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    Perturbation<?> plugin = (Perturbation<?>) r.get().plugin();
    ObjectNode body = r.get().body();
    int before = problems.size();
    Bounds.strip(doc, at, body, plugin.configType(), null, problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    List<LevelExpansion.Expanded> expanded = LevelExpansion.expand(body, plugin.configType());
    if (expanded.size() > 1) {
      problems.add(
          doc.problemAtKey(
              at + "/" + expanded.get(0).swept().get(0),
              "a chain's step takes one value per key, not a list (" + expanded.size() + " levels)",
              "write one chain per value, each with its own 'name'"));
      return Optional.empty();
    }
    Set<String> siblings = new java.util.TreeSet<>(SPACE_KEYS);
    if (node.isObject()) {
      siblings.add("id");
    }
    Optional<Object> cfg = binder.bind(at, body, plugin.configType(), siblings).map(c -> c);
    if (cfg.isEmpty()) {
      return Optional.empty();
    }
    Perturbation<?> spaced = spaced(at, node, plugin);
    if (spaced == null) {
      return Optional.empty();
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("id", plugin.id());
    params.putAll(PluginResolver.params(body));
    if (node.isObject()) {
      for (String k : List.of("space", "clip")) {
        if (node.has(k)) {
          params.put(k, PluginResolver.params(node).get(k));
        }
      }
    }
    return Optional.of(new ChainPerturbation.Step(plugin.id(), spaced, (Record) cfg.get(), params));
  }
}
