package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.qrbench.spi.Bound;

/** A training spec's top level, before its plugins are resolved. */
record TrainingDocument(
    String name,
    String description,
    @Bound(why = "a seed is a 64-bit integer") Long seed,
    JsonNode model,
    JsonNode dataset,
    JsonNode quantizer,
    String init,
    @Bound(min = 1, max = TrainingSpec.MAX_EPOCHS, why = Bounds.EPOCHS) Integer epochs,
    @Bound(min = 1, max = 65536, why = Bounds.BATCH) Integer batchSize,
    OptimizerSpec optimizer,
    ScheduleSpec schedule,
    AugmentSpec augment) {}
