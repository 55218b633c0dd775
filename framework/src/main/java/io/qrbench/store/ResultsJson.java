package io.qrbench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qrbench.ConfigException;
import io.qrbench.io.AtomicFiles;
import io.qrbench.io.JsonMappers;
import io.qrbench.result.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@code results.json}, the canonical record of a run: the one owner of that file
 * (the runner's journal and the {@code json} report both write through here). It writes {@value
 * RunResult#SCHEMA} and reads that and {@value #SCHEMA_1}, which it upgrades first.
 */
public final class ResultsJson {
  /** The previous schema, still read: its case levels are labels only. */
  public static final String SCHEMA_1 = "qrbench-results/1";

  private static final ObjectMapper MAPPER = JsonMappers.data();

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
    com.fasterxml.jackson.databind.JsonNode tree;
    try {
      tree = MAPPER.readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new ConfigException(
          file
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not a readable qrbench results file, not valid JSON: "
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + "; pass a results.json written by qrbench, or run the suite again");
    } catch (IOException e) {
      throw new ConfigException(
          file + ": cannot read: " + e.getMessage() + "; check the path and its permissions", e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(
          file
              + ": not a qrbench results file (no JSON object); pass a results.json written by qrbench");
    }
    String schema = tree.path("schema").isTextual() ? tree.get("schema").asText() : null;
    if (schema == null || !schema.startsWith("qrbench-results/")) {
      throw new ConfigException(file + ": schema '" + schema + "' is not a qrbench results schema");
    }
    if (SCHEMA_1.equals(schema)) {
      ResultsUpgrade.fromSchema1((ObjectNode) tree);
    } else if (!RunResult.SCHEMA.equals(schema)) {
      throw new ConfigException(
          file
              + ": schema '"
              + schema
              + "' is not supported by this qrbench (it reads "
              + RunResult.SCHEMA
              + " and "
              + SCHEMA_1
              + "); use the qrbench version that wrote it");
    }
    ResultsValidation.check(file, tree);
    try {
      return MAPPER.treeToValue(tree, RunResult.class);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(
                  r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(java.util.stream.Collectors.joining())
              .replaceFirst("^\\.", "");
      throw new ConfigException(
          file
              + ": "
              + (path.isEmpty() ? "" : path + ": ")
              + "a value of the wrong type; "
              + "this results.json was edited or damaged: restore it, or run the suite again");
    } catch (IOException e) {
      throw new ConfigException(
          file + ": not a readable qrbench results file; run the suite again");
    }
  }
}
