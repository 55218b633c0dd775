package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A suite file's top level, before plugin configurations are resolved. */
record SuiteDocument(
    String name,
    String description,
    Long seed,
    JsonNode dataset,
    List<JsonNode> models,
    List<JsonNode> perturbations,
    Integer batchSize,
    List<JsonNode> reports,
    List<JsonNode> checks,

    // SpeedSection binds it from the document's own tree; named here so that 'speed' is a known key
    JsonNode speed) {

  /** One entry of {@code models:} before its plugins are resolved. */
  record ModelDocument(String name, JsonNode model, JsonNode quantizer, String weights, TrainSpec train,
      Integer recalibrateBn) {}
}
