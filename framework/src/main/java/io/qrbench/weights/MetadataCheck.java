package io.qrbench.weights;

import io.qrbench.ConfigException;
import io.qrbench.spi.ModelInput;
import io.qrbench.suite.ConfigMaps;
import io.qrbench.suite.PluginConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a weights file's metadata against the model a suite asks for, before any parameter is
 * loaded: a different architecture, depth or class count is a clear error, not a shape crash.
 */
public final class MetadataCheck {
  private MetadataCheck() {}

  /**
   * @throws ConfigException naming every difference and the fix
   */
  public static void check(Path file, WeightsMetadata meta, PluginConfig model, ModelInput input) {
    List<String> diffs = new ArrayList<>();
    if (!model.id().equals(meta.architecture())) {
      diffs.add(
          "architecture: the file holds '"
              + meta.architecture()
              + "', the suite asks for '"
              + model.id()
              + "'");
    } else {
      Map<String, Object> wanted = ConfigMaps.of(model.config());
      for (Map.Entry<String, Object> e : wanted.entrySet()) {
        Object have = meta.modelConfig() == null ? null : meta.modelConfig().get(e.getKey());
        if (!same(have, e.getValue())) {
          diffs.add(
              e.getKey() + ": the file holds " + have + ", the suite asks for " + e.getValue());
        }
      }
    }
    if (meta.classes() != input.classes()) {
      diffs.add(
          "classes: the file predicts " + meta.classes() + ", the dataset has " + input.classes());
    }
    List<Integer> shape = List.of(input.channels(), input.height(), input.width());
    if (meta.inputShape() != null && !meta.inputShape().equals(shape)) {
      diffs.add(
          "input shape: the file expects " + meta.inputShape() + ", the dataset gives " + shape);
    }
    if (!diffs.isEmpty()) {
      throw new ConfigException(
          "weights "
              + file
              + " do not fit the suite's model:\n  - "
              + String.join("\n  - ", diffs)
              + "\n  fix: point 'weights' at a file trained for this model, or change the model to match the file ("
              + meta.architecture()
              + " "
              + meta.modelConfig()
              + ")");
    }
  }

  /**
   * A packed file holds kernels already quantized: evaluated under another quantizer, or under the
   * same one with other settings, its numbers would be reported under a name they do not have.
   *
   * @throws ConfigException naming the quantizer the file was packed with and the fix
   */
  public static void checkPacked(Path file, WeightsMetadata meta, PluginConfig quantizer) {
    Map<String, Object> wanted = ConfigMaps.of(quantizer.config());
    Map<String, Object> have = meta.quantizerConfig() == null ? Map.of() : meta.quantizerConfig();
    List<String> diffs = new ArrayList<>();
    if (!quantizer.id().equals(meta.quantizer())) {
      diffs.add(
          "the file was packed by '"
              + meta.quantizer()
              + "', the suite evaluates it as '"
              + quantizer.id()
              + "'");
    } else {
      for (Map.Entry<String, Object> e : wanted.entrySet()) {
        if (!same(have.get(e.getKey()), e.getValue())) {
          diffs.add(
              e.getKey()
                  + ": the file was packed with "
                  + have.get(e.getKey())
                  + ", the suite asks for "
                  + e.getValue());
        }
      }
    }
    if (!diffs.isEmpty()) {
      throw new ConfigException(
          "packed weights "
              + file
              + " do not fit the suite's quantizer: "
              + String.join("; ", diffs)
              + "\n    fix: set the model's quantizer: "
              + flow(meta.quantizer(), have)
              + " as the file was packed, or name the full-precision .params and let the suite quantize it");
    }
  }

  /** A quantizer as a suite writes it: {@code {id: twn, delta: 0.7, skip: [input, output]}}. */
  static String flow(String id, Map<String, Object> config) {
    StringBuilder sb = new StringBuilder("{id: ").append(id);
    config.forEach(
        (k, v) ->
            sb.append(", ")
                .append(k)
                .append(": ")
                .append(
                    v instanceof List<?> l
                        ? l.toString()
                        : v == null ? "null" : v.toString().toLowerCase(java.util.Locale.ROOT)));
    return sb.append('}').toString();
  }

  /** Numbers compare by value (YAML's 20 and JSON's 20.0 are the same depth). */
  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof List<?> x && b instanceof List<?> y && x.size() == y.size()) {
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }
}
