package io.qrbench.registry;

import io.qrbench.PluginException;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.SpiVersion;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Every plugin of every kind, discovered once with {@link ServiceLoader}. Ids are checked when the
 * registry is built: a malformed id or two classes claiming one id is an error naming both.
 */
public final class PluginRegistry {
  private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private final Map<PluginKind, Map<String, Plugin<?>>> byKind;

  private PluginRegistry(Map<PluginKind, Map<String, Plugin<?>>> byKind) {
    this.byKind = byKind;
  }

  /** Discovers the plugins visible to the context class loader (or this class's loader). */
  public static PluginRegistry discover() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return discover(cl != null ? cl : PluginRegistry.class.getClassLoader());
  }

  /** Discovers the plugins visible to {@code loader}. */
  public static PluginRegistry discover(ClassLoader loader) {
    Map<PluginKind, List<Plugin<?>>> found = new EnumMap<>(PluginKind.class);
    // a jar holds many plugins, of several kinds: its manifest is read once
    Map<Path, java.util.Optional<String>> declared = new java.util.HashMap<>();
    for (PluginKind kind : PluginKind.values()) {
      List<Plugin<?>> plugins = new ArrayList<>();
      try {
        Iterator<? extends ServiceLoader.Provider<?>> providers =
            ServiceLoader.load(kind.type(), loader).stream().iterator();
        while (providers.hasNext()) {
          ServiceLoader.Provider<?> provider = providers.next();
          // the version is read from the class's jar before the plugin is instantiated, so that
          // a plugin built for another SPI fails here with both versions, not later with a
          // NoSuchMethodError from somewhere inside a run
          checkSpiVersion(kind, provider.type(), declared);
          plugins.add((Plugin<?>) provider.get());
        }
      } catch (ServiceConfigurationError e) {
        throw new PluginException(
            "cannot load a "
                + kind.label()
                + " plugin: "
                + e.getMessage()
                + " (check its META-INF/services entry and its public no-argument constructor)",
            e);
      }
      found.put(kind, plugins);
    }
    return of(found);
  }

  /**
   * Refuses a plugin class whose jar declares an SPI version this qrbench can't run (see {@link
   * SpiVersion}). Classes from a directory (a build's {@code target/classes}, an IDE) are accepted.
   */
  static void checkSpiVersion(PluginKind kind, Class<?> type) {
    checkSpiVersion(kind, type, new java.util.HashMap<>());
  }

  /**
   * {@link #checkSpiVersion(PluginKind, Class)}, each jar's declared version read once into {@code
   * seen}.
   */
  private static void checkSpiVersion(
      PluginKind kind, Class<?> type, Map<Path, java.util.Optional<String>> seen) {
    Path jar = jarOf(type);
    if (jar == null) {
      return;
    }
    java.util.Optional<String> known = seen.get(jar);
    if (known == null) {
      known = java.util.Optional.ofNullable(declaredVersion(kind, type, jar));
      seen.put(jar, known);
    }
    String why = SpiVersion.incompatibility(known.orElse(null));
    if (why != null) {
      throw new PluginException(
          "refusing " + kind.label() + " plugin " + type.getName() + " from " + jar + ": " + why);
    }
  }

  /** The SPI version {@code jar}'s manifest declares, or null when it declares none. */
  private static String declaredVersion(PluginKind kind, Class<?> type, Path jar) {
    String declared;
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      declared =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
    } catch (IOException e) {
      throw new PluginException(
          "cannot read the manifest of "
              + jar
              + " (the jar of "
              + kind.label()
              + " plugin "
              + type.getName()
              + "): "
              + e.getMessage(),
          e);
    }
    return declared;
  }

  private static Path jarOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Builds a registry from explicit plugin lists, with the same checks as discovery. */
  public static PluginRegistry of(Map<PluginKind, List<Plugin<?>>> plugins) {
    Map<PluginKind, Map<String, Plugin<?>>> byKind = new EnumMap<>(PluginKind.class);
    for (PluginKind kind : PluginKind.values()) {
      Map<String, Plugin<?>> ids = new TreeMap<>();
      for (Plugin<?> p : plugins.getOrDefault(kind, List.of())) {
        if (!kind.type().isInstance(p)) {
          throw new PluginException(
              p.getClass().getName()
                  + " is listed as a "
                  + kind.label()
                  + " plugin but does not implement "
                  + kind.type().getName());
        }
        String id = p.id();
        if (id == null || !ID.matcher(id).matches()) {
          throw new PluginException(
              "plugin "
                  + p.getClass().getName()
                  + " has id '"
                  + id
                  + "'; ids are lower-case kebab-case, like 'salt-and-pepper'");
        }
        Plugin<?> clash = ids.putIfAbsent(id, p);
        if (clash != null) {
          throw new PluginException(
              "two "
                  + kind.label()
                  + " plugins claim the id '"
                  + id
                  + "': "
                  + clash.getClass().getName()
                  + " and "
                  + p.getClass().getName()
                  + "; remove one from the class path or give it another id");
        }
      }
      byKind.put(kind, Collections.unmodifiableMap(ids));
    }
    return new PluginRegistry(byKind);
  }

  /** The plugins of one kind, sorted by id. */
  public List<Plugin<?>> all(PluginKind kind) {
    return List.copyOf(byKind.get(kind).values());
  }

  /** The ids of one kind, sorted. */
  public List<String> ids(PluginKind kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }

  /**
   * The plugin of {@code kind} with {@code id}.
   *
   * @throws UnknownPluginException naming the known ids and the closest match
   */
  public Plugin<?> get(PluginKind kind, String id) {
    Plugin<?> p = byKind.get(kind).get(id);
    if (p == null) {
      throw new UnknownPluginException(kind, id, ids(kind));
    }
    return p;
  }

  /** The plugin of {@code kind} with {@code id}, as its interface type. */
  public <P> P get(PluginKind kind, String id, Class<P> type) {
    return type.cast(get(kind, id));
  }
}
