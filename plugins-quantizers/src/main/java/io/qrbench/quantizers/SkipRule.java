package io.qrbench.quantizers;

import io.qrbench.ConfigException;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.QuantizableLayer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which layers stay in full precision: each entry is a role ({@code input}: the first layer, {@code
 * output}: the classifier, {@code hidden}) or a layer's name. The default, {@code [input, output]},
 * is the common practice the TWN and TTQ papers follow. BatchNorm and biases are never quantized:
 * they are not kernels. A quantizer's configuration usually carries the list as {@code skip} and
 * its {@link KernelQuantizer#skip} returns {@code new SkipRule(config.skip())}.
 *
 * @param entries roles or layer names; null means {@link #DEFAULT}
 */
public record SkipRule(List<String> entries) {
  /** The papers' practice: the first layer and the classifier stay in full precision. */
  public static final List<String> DEFAULT = List.of("input", "output");

  private static final Set<String> ROLES = Set.of("input", "hidden", "output");

  /** Copies the entries; null means {@link #DEFAULT}. */
  public SkipRule {
    entries = entries == null ? DEFAULT : List.copyOf(entries);
  }

  /** Whether {@code layer} stays in full precision. */
  public boolean skips(LayerInfo layer) {
    return entries.contains(layer.role().name().toLowerCase(Locale.ROOT))
        || entries.contains(layer.name());
  }

  /**
   * Checks that every entry names a role or a layer of this model.
   *
   * @throws ConfigException naming the entries that match nothing, and the model's layers
   */
  public void check(List<QuantizableLayer> layers) {
    Set<String> names = layers.stream().map(l -> l.info().name()).collect(Collectors.toSet());
    List<String> unknown =
        entries.stream().filter(e -> !ROLES.contains(e) && !names.contains(e)).toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "skip: "
              + unknown
              + " match no layer of this model; use input, hidden, output or a layer name: "
              + layers.stream().map(l -> l.info().name()).collect(Collectors.joining(", ")));
    }
  }
}
