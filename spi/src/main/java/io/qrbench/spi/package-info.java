/**
 * The extension points of qrbench.
 *
 * <p>
 * What every plugin kind shares. Implementations are discovered with {@link java.util.ServiceLoader}
 * (one line per class in {@code META-INF/services/<interface name>}), so they need a public
 * no-argument constructor that does no heavy work: build expensive things lazily, in the methods.
 *
 * @param <C> the plugin's configuration record. A suite's
 *     {@code {id: my-plugin, some-key: 3}} is bound to it by Jackson: keys are the kebab-case
 *     forms of the record's component names, unknown keys are errors, and a component left out
 *     of the suite arrives as {@code null} (or 0/false for primitives), so a compact constructor
 *     is the place to fill defaults and to validate ({@link IllegalArgumentException} messages
 *     reach the user with the file, line and key). Use {@link EmptyConfig} when there is nothing to
 *     configure.
 */
package io.qrbench.spi;
