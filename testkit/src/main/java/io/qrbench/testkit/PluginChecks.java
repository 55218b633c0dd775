package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.spi.Plugin;
import java.util.regex.Pattern;

/**
 * What every plugin promises, whatever its kind: a kebab-case id, a description, its config type.
 */
final class PluginChecks {
  /** The registry's rule for ids: lower-case words joined by single hyphens. */
  private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private PluginChecks() {}

  static void assertWellFormed(Plugin<?> plugin, Record config) {
    assertNotNull(plugin.id(), "id()");
    assertTrue(
        KEBAB.matcher(plugin.id()).matches(), "id '" + plugin.id() + "' is lower-case kebab-case");
    assertNotNull(plugin.description(), plugin.id() + ": description()");
    assertFalse(plugin.description().isBlank(), plugin.id() + ": description() says what it does");
    assertNotNull(config, plugin.id() + ": the test's config()");
    assertEquals(
        plugin.configType(),
        config.getClass(),
        plugin.id() + ": configType() is the class of the configurations it is given");
  }
}
