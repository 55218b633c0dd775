package io.qrbench.registry;

import io.qrbench.PluginException;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every plugin of every kind, discovered once with {@link ServiceLoader}. Ids are checked when
 * the registry is built: a malformed id or two classes claiming one id is an error naming both.
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
    for (PluginKind kind : PluginKind.values()) {
      List<Plugin<?>> plugins = new ArrayList<>();
      try {
        for (Object p : ServiceLoader.load(kind.type(), loader)) {
          plugins.add((Plugin<?>) p);
        }
      } catch (ServiceConfigurationError e) {
        throw new PluginException(
            "cannot load a " + kind.label() + " plugin: " + e.getMessage()
                + " (check its META-INF/services entry and its public no-argument constructor)",
            e);
      }
      found.put(kind, plugins);
    }
    return of(found);
  }

  /** Builds a registry from explicit plugin lists, with the same checks as discovery. */
  public static PluginRegistry of(Map<PluginKind, List<Plugin<?>>> plugins) {
    Map<PluginKind, Map<String, Plugin<?>>> byKind = new EnumMap<>(PluginKind.class);
    for (PluginKind kind : PluginKind.values()) {
      Map<String, Plugin<?>> ids = new TreeMap<>();
      for (Plugin<?> p : plugins.getOrDefault(kind, List.of())) {
        if (!kind.type().isInstance(p)) {
          throw new PluginException(
              p.getClass().getName() + " is listed as a " + kind.label()
                  + " plugin but does not implement " + kind.type().getName());
        }
        String id = p.id();
        if (id == null || !ID.matcher(id).matches()) {
          throw new PluginException(
              "plugin " + p.getClass().getName() + " has id '" + id
                  + "'; ids are lower-case kebab-case, like 'salt-and-pepper'");
        }
        Plugin<?> clash = ids.putIfAbsent(id, p);
        if (clash != null) {
          throw new PluginException(
              "two " + kind.label() + " plugins claim the id '" + id + "': "
                  + clash.getClass().getName() + " and " + p.getClass().getName()
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
