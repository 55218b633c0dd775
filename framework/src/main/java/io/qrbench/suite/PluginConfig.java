package io.qrbench.suite;

import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plugin chosen by a suite, with its bound configuration.
 *
 * @param kind the plugin's kind
 * @param plugin the plugin
 * @param config the bound configuration record, of {@code plugin.configType()}
 * @param params the configuration as the suite wrote it (without {@code id}), for the record
 */
public record PluginConfig(
    PluginKind kind, Plugin<?> plugin, Record config, Map<String, Object> params) {
  public PluginConfig {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The plugin's id. */
  public String id() {
    return plugin.id();
  }

  /** The plugin as its interface type. */
  public <P> P plugin(Class<P> type) {
    return type.cast(plugin);
  }
}
