package io.qrbench.datasets;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where qrbench keeps downloaded data: {@code $QRBENCH_DATA} when set, else {@code
 * $XDG_CACHE_HOME/qrbench}, else {@code ~/.cache/qrbench}. Each dataset uses its own subfolder
 * ({@code cifar10/}), so one variable moves them all.
 */
final class DataCache {
  static final String ENV = "QRBENCH_DATA";

  private DataCache() {}

  /** The cache folder of this process's environment. */
  static Path root() {
    return root(System::getenv, System.getProperty("user.home"));
  }

  /**
   * The cache folder for a given environment, for tests.
   *
   * @param env looks up an environment variable, null when unset
   * @param home the user's home folder
   */
  static Path root(UnaryOperator<String> env, String home) {
    String data = env.apply(ENV);
    if (data != null && !data.isBlank()) {
      return Path.of(data).toAbsolutePath();
    }
    // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    String xdg = env.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "qrbench");
    }
    return Path.of(home, ".cache", "qrbench");
  }

  /** A user-written folder name, with a leading {@code ~/} meaning the home folder. */
  static Path userPath(String folder) {
    if (folder.equals("~") || folder.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + folder.substring(1)).toAbsolutePath();
    }
    return Path.of(folder).toAbsolutePath();
  }
}
