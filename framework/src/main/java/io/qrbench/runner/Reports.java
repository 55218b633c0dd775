package io.qrbench.runner;

import io.qrbench.QrbenchException;
import io.qrbench.result.RunResult;
import io.qrbench.spi.ReportWriter;
import io.qrbench.suite.PluginConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Writes a run's reports, for the runner at the end of a run and for re-rendering later. */
public final class Reports {
  private Reports() {}

  /**
   * Writes {@code result} with each writer into {@code outDir}, telling {@code said} what was
   * written: each file, or one line for a writer that wrote many.
   *
   * @throws QrbenchException naming the writer and folder when one cannot write
   */
  public static void write(
      List<PluginConfig> writers, RunResult result, Path outDir, Consumer<String> said) {
    for (PluginConfig report : writers) {
      try {
        List<Path> files =
            write(report.plugin(ReportWriter.class), report.config(), result, outDir);
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
