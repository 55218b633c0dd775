package io.qrbench.runner;

import io.qrbench.QrbenchException;
import io.qrbench.io.AtomicFiles;
import io.qrbench.result.RunResult;
import io.qrbench.spi.ReportWriter;
import io.qrbench.suite.PluginConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Writes a run's reports, for the runner at the end of a run and for re-rendering later. */
public final class Reports {
  /**
   * The files the last reports wrote, relative to the output folder, one a line: a run that
   * replaces the folder's results removes them first, so that a report of an earlier run (Allure
   * results above all, which 'allure generate' reads as a whole folder) never sits beside the new
   * run's results when the new run stops before writing its own.
   */
  static final String WRITTEN = ".qrbench-reports";

  private Reports() {}

  /**
   * Removes the files the reports of an earlier run in {@code outDir} wrote (see {@link #WRITTEN}),
   * and the folders they leave empty; the results file, which the run's journal owns, stays.
   * Returns how many files were removed.
   */
  static int removePrevious(Path outDir, String resultsFile) throws IOException {
    Path list = outDir.resolve(WRITTEN);
    if (!Files.isRegularFile(list)) {
      return 0;
    }
    Path root = outDir.toAbsolutePath().normalize();
    int removed = 0;
    java.util.Set<Path> parents = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Path f = root.resolve(line).normalize();
      if (!f.startsWith(root) || f.equals(root.resolve(resultsFile)) || f.equals(root)) {
        continue; // never outside the folder, never the journal's own file
      }
      if (Files.deleteIfExists(f)) {
        removed++;
      }
      for (Path p = f.getParent();
          p != null && !p.equals(root) && p.startsWith(root);
          p = p.getParent()) {
        parents.add(p);
      }
    }
    for (Path p : parents) { // deepest first
      try (java.util.stream.Stream<Path> left = Files.list(p)) {
        if (left.findAny().isEmpty()) {
          Files.delete(p);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        // already gone
      }
    }
    Files.delete(list);
    return removed;
  }

  /**
   * Writes {@code result} with each writer into {@code outDir}, telling {@code said} what was
   * written: each file, or one line for a writer that wrote many.
   *
   * @throws QrbenchException naming the writer and folder when one cannot write
   */
  public static void write(
      List<PluginConfig> writers, RunResult result, Path outDir, Consumer<String> said) {
    // added to what earlier reports of the same results wrote ('qrbench report' re-renders some)
    java.util.Set<String> written = new java.util.LinkedHashSet<>();
    try {
      Path list = outDir.resolve(WRITTEN);
      if (Files.isRegularFile(list)) {
        Files.readAllLines(list, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .forEach(written::add);
      }
    } catch (IOException e) {
      // unreadable: this run's files are still listed
    }
    for (PluginConfig report : writers) {
      try {
        List<Path> files =
            write(report.plugin(ReportWriter.class), report.config(), result, outDir);
        Path root = outDir.toAbsolutePath().normalize();
        for (Path f : files) {
          Path abs = f.toAbsolutePath().normalize();
          if (abs.startsWith(root)) {
            written.add(root.relativize(abs).toString().replace('\\', '/'));
          }
        }
        AtomicFiles.write(
            outDir.resolve(WRITTEN),
            String.join("\n", written).concat("\n").getBytes(StandardCharsets.UTF_8));
        if (files.size() <= 3) {
          files.forEach(f -> said.accept("wrote " + f));
        } else {
          said.accept(
              "wrote "
                  + files.size()
                  + " files ("
                  + report.id()
                  + ") in "
                  + files.get(0).getParent());
        }
      } catch (IOException e) {
        throw new QrbenchException(
            "report '"
                + report.id()
                + "' could not be written to "
                + outDir
                + ": "
                + io.qrbench.io.IoErrors.describe(e, outDir)
                + "; "
                + io.qrbench.io.IoErrors.fix(e)
                + "write the reports again with 'qrbench report'",
            e);
      }
    }
  }

  private static <C extends Record> List<Path> write(
      ReportWriter<C> w, Record config, RunResult r, Path out) throws IOException {
    return w.write(w.configType().cast(config), r, out);
  }
}
