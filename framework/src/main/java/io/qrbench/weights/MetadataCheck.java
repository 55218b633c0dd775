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
      diffs.add("architecture: the file holds '" + meta.architecture() + "', the suite asks for '" + model.id() + "'");
    } else {
      Map<String, Object> wanted = ConfigMaps.of(model.config());
      for (Map.Entry<String, Object> e : wanted.entrySet()) {
        Object have = meta.modelConfig() == null ? null : meta.modelConfig().get(e.getKey());
        if (!same(have, e.getValue())) {
          diffs.add(e.getKey() + ": the file holds " + have + ", the suite asks for " + e.getValue());
        }
      }
    }
    if (meta.classes() != input.classes()) {
      diffs.add("classes: the file predicts " + meta.classes() + ", the dataset has " + input.classes());
    }
    List<Integer> shape = List.of(input.channels(), input.height(), input.width());
    if (meta.inputShape() != null && !meta.inputShape().equals(shape)) {
      diffs.add("input shape: the file expects " + meta.inputShape() + ", the dataset gives " + shape);
    }
    if (!diffs.isEmpty()) {
      throw new ConfigException("weights " + file + " do not fit the suite's model:\n  - "
          + String.join("\n  - ", diffs)
          + "\n  fix: point 'weights' at a file trained for this model, or change the model to match the file ("
          + meta.architecture() + " " + meta.modelConfig() + ")");
    }
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
