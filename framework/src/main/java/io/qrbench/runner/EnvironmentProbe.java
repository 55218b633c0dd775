package io.qrbench.runner;

import ai.djl.engine.Engine;
import io.qrbench.result.EnvironmentInfo;
import io.qrbench.util.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads where a run happens: versions, processor, threads. */
public final class EnvironmentProbe {
  private EnvironmentProbe() {}

  /** The current environment, with the default DJL engine. */
  static EnvironmentInfo capture() {
    Engine engine = Engine.getInstance();
    String threads = System.getProperty("ai.djl.pytorch.num_threads");
    return new EnvironmentInfo(
        Version.get(),
        Engine.getDjlVersion(),
        engine.getEngineName(),
        engine.getVersion(),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        cpuModel().orElse(System.getProperty("os.arch")),
        Runtime.getRuntime().availableProcessors(),
        threads == null ? null : Integer.valueOf(threads.trim()),
        gitCommit());
  }

  /**
   * The intra-op threads the engine computes with: what it was told at start-up ({@code
   * ai.djl.pytorch.num_threads}, which the launcher sets from {@code QRBENCH_THREADS}), else
   * PyTorch's default, one per processor. A model on another runtime uses as many.
   */
  public static int engineThreads() {
    String threads = System.getProperty("ai.djl.pytorch.num_threads");
    try {
      int t = threads == null ? 0 : Integer.parseInt(threads.trim());
      return t > 0 ? t : Runtime.getRuntime().availableProcessors();
    } catch (NumberFormatException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * The launcher passes the checkout's commit as {@code qrbench.git.commit}; blank means unknown.
   */
  private static String gitCommit() {
    String c = System.getProperty("qrbench.git.commit", "").trim();
    return c.isEmpty() ? null : c;
  }

  private static Optional<String> cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
