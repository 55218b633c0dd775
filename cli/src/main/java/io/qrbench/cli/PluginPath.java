package io.qrbench.cli;

import io.qrbench.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where third-party plugin jars live. {@code bin/qrbench} runs {@code java -jar}, whose manifest
 * names qrbench's own jars one by one, so a jar merely copied next to them is never seen: plugins
 * get folders of their own instead, read in this order: {@code --plugin-path DIR[:DIR]}, then the
 * {@code QRBENCH_PLUGINS} environment variable (same syntax), then the default folder that {@code
 * bin/qrbench} passes in the system property {@code qrbench.plugins.default} (the checkout's {@code
 * plugins/}). Every {@code *.jar} directly inside a folder joins one class loader whose parent is
 * qrbench's own, so a plugin sees the SPI and DJL exactly as built-in plugins do and its jar's
 * manifest is still checked for its SPI version by the registry.
 */
final class PluginPath {
  static final String ENV = "QRBENCH_PLUGINS";
  static final String DEFAULT_PROPERTY = "qrbench.plugins.default";

  private PluginPath() {}

  /**
   * The plugin jars, in search order, without repeats. Folders named by the user ({@code option},
   * {@code env}) must exist; the default folder may be absent. An entry may also name one jar.
   */
  static List<Path> jars(String option, String env, String defaultFolder) {
    Set<Path> jars = new LinkedHashSet<>();
    addAll(jars, option, "--plugin-path", true);
    addAll(jars, env, ENV, true);
    addAll(jars, defaultFolder, "the default plugin folder", false);
    return List.copyOf(jars);
  }

  /** The jars named by the option, the environment and the default folder property. */
  static List<Path> jars(String option) {
    return jars(option, System.getenv(ENV), System.getProperty(DEFAULT_PROPERTY));
  }

  /**
   * A class loader over {@code jars} whose parent is {@code parent}; {@code parent} itself when
   * there are none.
   */
  static ClassLoader loader(List<Path> jars, ClassLoader parent) {
    if (jars.isEmpty()) {
      return parent;
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new ConfigException("cannot use plugin jar " + jars.get(i) + ": " + e.getMessage());
      }
    }
    return new URLClassLoader("qrbench-plugins", urls, parent);
  }

  private static void addAll(Set<Path> jars, String path, String from, boolean mustExist) {
    if (path == null || path.isBlank()) {
      return;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
        jars.add(p);
      } else if (Files.isDirectory(p)) {
        jars.addAll(jarsIn(p));
      } else if (mustExist) {
        throw new ConfigException(
            "plugin folder "
                + entry
                + " (from "
                + from
                + ") is neither a folder nor a .jar file; give folders holding plugin jars,"
                + " separated by '"
                + File.pathSeparator
                + "'");
      }
    }
  }

  /** The jars directly inside {@code folder}, sorted by name so that the order is reproducible. */
  private static List<Path> jarsIn(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return new ArrayList<>(
          files
              .filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
              .sorted()
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list plugin folder " + folder, e);
    }
  }
}
