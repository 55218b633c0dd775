package io.qrbench.reports;

import io.qrbench.io.AtomicFiles;
import io.qrbench.result.RunResult;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A writer of one UTF-8 text file rendered from the results, written atomically. */
abstract class TextFileReportWriter implements ReportWriter<EmptyConfig> {
  private final String file;
  private final BiFunction<RunResult, Path, String> render;

  TextFileReportWriter(String file, Function<RunResult, String> render) {
    this(file, (result, folder) -> render.apply(result));
  }

  /** A writer whose text depends on the folder it is written to (relative paths). */
  TextFileReportWriter(String file, BiFunction<RunResult, Path, String> render) {
    this.file = file;
    this.render = render;
  }

  @Override
  public final Class<EmptyConfig> configType() {
    return EmptyConfig.class;
  }

  @Override
  public final List<Path> write(EmptyConfig config, RunResult result, Path outDir)
      throws IOException {
    Path target = outDir.resolve(file);
    AtomicFiles.write(target, render.apply(result, outDir).getBytes(StandardCharsets.UTF_8));
    return List.of(target);
  }
}
