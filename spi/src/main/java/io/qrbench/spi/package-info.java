/**
 * The extension points of qrbench: what a plugin author compiles against (artifact {@code
 * qrbench-spi}, version {@link io.qrbench.spi.SpiVersion#CURRENT}).
 *
 * <p>Five kinds of plugin, each one small interface extending {@link io.qrbench.spi.Plugin}: {@link
 * io.qrbench.spi.ModelProvider}, {@link io.qrbench.spi.DatasetProvider}, {@link
 * io.qrbench.spi.Quantizer}, {@link io.qrbench.spi.Perturbation} and {@link
 * io.qrbench.spi.ReportWriter}. Implementations are discovered with {@link java.util.ServiceLoader}
 * (one line per class in {@code META-INF/services/<interface name>}), so they need a public
 * no-argument constructor that does no heavy work: build expensive things lazily, in the methods. A
 * plugin jar declares the SPI version it was built for in its manifest ({@link
 * io.qrbench.spi.SpiVersion}); the registry refuses an incompatible one.
 *
 * <p>Configuration: a plugin's type parameter {@code C} is its configuration record. A suite's
 * {@code {id: my-plugin, some-key: 3}} is bound to it by Jackson: keys are the kebab-case forms of
 * the record's component names, unknown keys are errors, and a component left out of the suite
 * arrives as {@code null} (or 0/false for primitives), so a compact constructor is the place to
 * fill defaults and to validate ({@link java.lang.IllegalArgumentException} messages reach the user
 * with the file, line and key). Every number carries a {@link io.qrbench.spi.Bound}. Use {@link
 * io.qrbench.spi.EmptyConfig} when there is nothing to configure.
 *
 * <p>Next to this package the SPI module holds {@code io.qrbench.nn} (layer helpers for model and
 * quantizer authors), {@code io.qrbench.result} (the finished run a report writer reads) and {@code
 * io.qrbench.io} (atomic file writes for plugins that write files).
 */
package io.qrbench.spi;
