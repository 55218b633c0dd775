package io.qrbench.spi;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The five kinds of plugin, each with the interface that declares it. */
public enum PluginKind {
  MODEL("model", ModelProvider.class),
  DATASET("dataset", DatasetProvider.class),
  QUANTIZER("quantizer", Quantizer.class),
  PERTURBATION("perturbation", Perturbation.class),
  REPORT("report", ReportWriter.class);

  private final String label;
  private final Class<?> type;

  PluginKind(String label, Class<?> type) {
    this.label = label;
    this.type = type;
  }

  /** The kind's name as users write it: {@code model}, {@code perturbation}, ... */
  public String label() {
    return label;
  }

  /** The service interface plugins of this kind implement. */
  public Class<?> type() {
    return type;
  }

  /** Finds a kind by its label, case-insensitively. */
  public static Optional<PluginKind> byLabel(String label) {
    return Arrays.stream(values())
        .filter(k -> k.label.equals(label.toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
