package io.qrbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qrbench.spi.Bound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code list-plugins} says each key's real type, and words accepted for numbers are checked. */
class ConfigKeysTest {
  enum Side {
    LEFT,
    RIGHT
  }

  record Config(
      @Bound(min = 0, minExclusive = true, max = 10, why = "a factor", words = "optimal")
          Object delta,
      @Bound(min = 0, max = 1) List<Double> weights,
      @Bound(min = 1, max = 8) List<Integer> taps,
      List<String> skip,
      Side side,
      @Bound(min = 1, max = 5) Integer severity,
      String folder) {
    Config {
      delta = delta == null ? 0.7 : delta;
      weights = weights == null ? List.of(0.5, 0.25) : weights;
      taps = taps == null ? List.of() : taps;
      skip = skip == null ? List.of("input") : skip;
      side = side == null ? Side.RIGHT : side;
    }
  }

  @Test
  void keysSayTheirTypesInASuitesWords() {
    Map<String, ConfigKeys.Key> keys =
        ConfigKeys.of(Config.class).stream()
            .collect(Collectors.toMap(ConfigKeys.Key::name, Function.identity()));
    assertEquals("number in (0, 10] | optimal", keys.get("delta").type());
    assertEquals("0.7", keys.get("delta").defaultValue());
    assertEquals("list of numbers in [0, 1]", keys.get("weights").type());
    assertEquals("[0.5, 0.25]", keys.get("weights").defaultValue());
    assertEquals("list of integers in [1, 8]", keys.get("taps").type());
    assertEquals("list of strings", keys.get("skip").type());
    assertEquals("left | right", keys.get("side").type());
    assertEquals("right", keys.get("side").defaultValue());
    assertEquals("integer in [1, 5]", keys.get("severity").type());
    assertEquals("none", keys.get("severity").defaultValue());
    assertEquals("string", keys.get("folder").type());
    keys.values().forEach(k -> assertTrue(!k.type().contains("Object"), k.toString()));
  }

  @Test
  void aWordOtherThanTheAcceptedOnesIsToldTheClosest() throws Exception {
    YamlDocument doc = YamlDocument.parse("t.yaml", "c: {delta: optiml, severity: 2}\n");
    List<SuiteProblem> problems = new ArrayList<>();
    ConfigBinder binder = new ConfigBinder(doc, problems);
    JsonNode c = doc.root().get("c");
    binder.bind("/c", c, Config.class); // the bad value is dropped, the rest still checked
    assertEquals(1, problems.size(), problems.toString());
    SuiteProblem p = problems.get(0);
    assertEquals("c.delta", p.path());
    assertEquals(
        "expected a number in (0, 10] or 'optimal', found 'optiml'; did you mean 'optimal'?",
        p.problem());
    assertEquals("a factor", p.fix());

    problems.clear();
    YamlDocument far = YamlDocument.parse("t.yaml", "c: {delta: 11}\n");
    new ConfigBinder(far, problems).bind("/c", far.root().get("c"), Config.class);
    assertEquals("expected a number in (0, 10] or 'optimal', found 11", problems.get(0).problem());

    problems.clear();
    YamlDocument ok = YamlDocument.parse("t.yaml", "c: {delta: optimal}\n");
    Config bound =
        new ConfigBinder(ok, problems).bind("/c", ok.root().get("c"), Config.class).orElseThrow();
    assertEquals("optimal", bound.delta());
    assertEquals(List.of(), problems);
  }
}
