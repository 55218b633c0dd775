package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.qrbench.spi.Bound;
import java.util.List;

/** A suite file's top level, before plugin configurations are resolved. */
record SuiteDocument(
    String name,
    String description,
    @Bound(why = "a seed is a 64-bit integer") Long seed,
    JsonNode dataset,
    List<JsonNode> models,
    List<JsonNode> perturbations,
    @Bound(min = 1, max = 65536, why = Bounds.BATCH) Integer batchSize,
    List<JsonNode> reports,
    List<JsonNode> checks,

    // SpeedSpecLoader binds it from the document's own tree; named here so that 'speed' is a known
    // key
    JsonNode speed) {

  /** One entry of {@code models:} before its plugins are resolved. */
  record ModelDocument(
      String name,
      JsonNode model,
      JsonNode quantizer,
      String weights,
      InRunTraining train,
      Deployment deploy,
      @Bound(
              min = 0,
              max = 10_000,
              why = "batches of training images; 50 re-estimates BatchNorm well")
          Integer recalibrateBn,
      Boolean foldBatchnorm) {}
}
