package io.qrbench.suite;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bound configuration record as a map of its kebab-case keys, defaults included. */
public final class ConfigMaps {
  private ConfigMaps() {}

  /**
   * A plugin's configuration with every key at its default, as a suite leaving them all out gets.
   *
   * @throws io.qrbench.ConfigException when the plugin has required keys
   */
  public static <R extends Record> R defaults(Class<R> type, String plugin) {
    try {
      return ConfigBinder.MAPPER.readValue("{}", type);
    } catch (java.io.IOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new io.qrbench.ConfigException(
          "'"
              + plugin
              + "' needs settings: "
              + cause.getMessage()
              + "; use it from a suite, where its keys can be given");
    }
  }

  /** {@code config} as kebab-case key -> value, in component order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> of(Record config) {
    return ConfigBinder.MAPPER.convertValue(config, LinkedHashMap.class);
  }
}
