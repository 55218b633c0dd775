package io.qrbench.suite;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bound configuration record as a map of its kebab-case keys, defaults included. */
public final class ConfigMaps {
  private ConfigMaps() {}

  /** {@code config} as kebab-case key -> value, in component order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> of(Record config) {
    return ConfigBinder.MAPPER.convertValue(config, LinkedHashMap.class);
  }
}
