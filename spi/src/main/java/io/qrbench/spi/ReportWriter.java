package io.qrbench.spi;

import io.qrbench.result.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes finished results in some format. Writers see only finished results and must write
 * atomically (a temporary file renamed into place; see {@code io.qrbench.io.AtomicFiles}).
 *
 * @param <C> the writer's configuration record
 */
public interface ReportWriter<C extends Record> extends Plugin<C> {

  /**
   * Writes the report.
   *
   * @param config the bound configuration
   * @param result the run's results
   * @param outDir the run's output folder, which exists
   * @return the files written
   * @throws IOException when writing fails
   */
  List<Path> write(C config, RunResult result, Path outDir) throws IOException;
}
