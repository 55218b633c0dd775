package io.qrbench.result;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qrbench.ConfigException;
import io.qrbench.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@code results.json}, the canonical record of a run. */
public final class ResultsJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ResultsJson() {}

  /** Writes {@code result} to {@code file} atomically. */
  public static void write(RunResult result, Path file) throws IOException {
    AtomicFiles.write(file, MAPPER.writeValueAsString(result).getBytes(StandardCharsets.UTF_8));
  }

  /** The JSON text of {@code result}. */
  public static String toJson(RunResult result) throws IOException {
    return MAPPER.writeValueAsString(result);
  }

  /**
   * Reads a results file.
   *
   * @throws ConfigException when it is not a qrbench results file of a known schema
   */
  public static RunResult read(Path file) {
    RunResult r;
    try {
      r = MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), RunResult.class);
    } catch (IOException e) {
      throw new ConfigException(file + ": not a readable qrbench results file: "
          + e.getMessage().lines().findFirst().orElse("") + "; rerun the suite, or pass a results.json written by qrbench", e);
    }
    if (r.schema() == null || !r.schema().startsWith("qrbench-results/")) {
      throw new ConfigException(file + ": schema '" + r.schema() + "' is not a qrbench results schema");
    }
    if (!RunResult.SCHEMA.equals(r.schema())) {
      throw new ConfigException(file + ": schema '" + r.schema() + "' is not supported by this qrbench ("
          + RunResult.SCHEMA + "); use the qrbench version that wrote it");
    }
    return r;
  }
}
