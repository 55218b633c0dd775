package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds and checks a suite's {@code speed:} section; each bad value is reported where it is. */
final class SpeedSpecLoader {
  private SpeedSpecLoader() {}

  /**
   * The section at {@code /speed}, or null when the suite has none. A bare {@code speed:} means
   * every default.
   */
  static SpeedSpec resolve(
      JsonNode node, YamlDocument doc, ConfigBinder binder, List<SuiteProblem> problems) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    if (node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
      return new SpeedSpec(null, null, null, null);
    }
    int before = problems.size();
    if (node.isObject()) {
      node = withoutUnknownKeys((ObjectNode) node, doc, problems);
    }
    Optional<SpeedSpec> bound = binder.bind("/speed", node, SpeedSpec.class);
    if (bound.isEmpty()) {
      return null;
    }
    SpeedSpec s = bound.get();
    if (s.batchSizes().isEmpty()) {
      problems.add(
          doc.problemAtValue(
              "/speed/batch-sizes",
              "'batch-sizes' is empty",
              "list at least one batch size, e.g. 'batch-sizes: [1, 32, 128]'"));
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < s.batchSizes().size(); i++) {
      Integer b = s.batchSizes().get(i);
      String at = YamlDocument.child("/speed/batch-sizes", i);
      if (b == null || b < 1) {
        problems.add(
            doc.problemAtValue(
                at,
                "expected a batch size of at least 1, found " + b,
                "e.g. 'batch-sizes: [1, 32, 128]'"));
      } else if (!seen.add(b)) {
        problems.add(
            doc.problemAtValue(
                at, "batch size " + b + " is listed twice", "list each batch size once"));
      }
    }
    if (s.warmup() < 0) {
      problems.add(
          doc.problemAtValue(
              "/speed/warmup",
              "expected a number of passes >= 0, found " + s.warmup(),
              "5 warms the engine's caches; 0 measures from the first pass"));
    }
    if (s.iterations() < 1) {
      problems.add(
          doc.problemAtValue(
              "/speed/iterations",
              "expected a number of passes >= 1, found " + s.iterations(),
              "30 gives stable percentiles; p99 needs 100 to mean anything"));
    }
    if (s.threads() != null && s.threads() < 1) {
      problems.add(
          doc.problemAtValue(
              "/speed/threads",
              "expected a number of threads >= 1, found " + s.threads(),
              "leave 'threads' out to record what the engine was started with"));
    }
    return problems.size() == before ? s : null;
  }

  /**
   * The section without its unknown keys, each reported here rather than by the binder: Jackson
   * buffers a record's properties, and the path it gives for an unknown key with a list value is
   * garbled.
   */
  private static ObjectNode withoutUnknownKeys(
      ObjectNode node, YamlDocument doc, List<SuiteProblem> problems) {
    List<String> known =
        ConfigKeys.of(SpeedSpec.class).stream().map(ConfigKeys.Key::name).sorted().toList();
    ObjectNode copy = node.deepCopy();
    for (java.util.Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!known.contains(key)) {
        problems.add(ConfigBinder.unknownKey(doc, YamlDocument.child("/speed", key), key, known));
        copy.remove(key);
      }
    }
    return copy;
  }
}
