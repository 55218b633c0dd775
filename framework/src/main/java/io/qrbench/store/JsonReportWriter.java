package io.qrbench.store;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.result.RunResult;
import io.qrbench.spi.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The canonical, schema-versioned JSON record of a run: the `json` report, built in because the
 * framework owns results.json.
 */
public final class JsonReportWriter implements ReportWriter<JsonReportWriter.Config> {

  /**
   * Where to write.
   *
   * @param file the file name inside the output folder
   */
  public record Config(@JsonPropertyDescription("file name inside the output folder") String file) {
    public Config {
      file = file == null ? "results.json" : file;
      if (file.isBlank() || file.contains("/") || file.contains("\\")) {
        throw new IllegalArgumentException("file must be a plain file name, was '" + file + "'");
      }
    }
  }

  @Override
  public String id() {
    return "json";
  }

  @Override
  public String description() {
    return "results as schema-versioned JSON ("
        + RunResult.SCHEMA
        + "), the input of 'qrbench report'";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<Path> write(Config config, RunResult result, Path outDir) throws IOException {
    Path file = outDir.resolve(config.file());
    ResultsJson.write(result, file);
    return List.of(file);
  }
}
