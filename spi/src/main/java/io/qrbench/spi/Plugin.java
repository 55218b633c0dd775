package io.qrbench.spi;

/**
 * The part every plugin shares: a stable id, a description and a configuration type.
 *
 * @param <C> the configuration record this plugin accepts; see the package documentation
 */
public interface Plugin<C extends Record> {

  /**
   * The id a suite uses to name this plugin: lower-case kebab-case ({@code salt-and-pepper}),
   * unique within its kind, stable across versions.
   */
  String id();

  /** One line that says what this plugin does, shown by {@code qrbench list-plugins}. */
  String description();

  /** The record type a suite's configuration for this plugin is bound to. */
  Class<C> configType();
}
