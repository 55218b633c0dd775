package io.qrbench.result;

import java.util.Map;

/**
 * The suite a run came from.
 *
 * @param name the suite's name
 * @param description its description
 * @param file the suite file as given
 * @param seed the seed used
 * @param limit the image limit used, or null for all
 * @param dataset the dataset's id
 * @param split the split evaluated
 * @param images images evaluated per case
 * @param fingerprint identifies suite text, seed, limit and weights; resuming in full requires the
 *     same
 * @param yaml the suite's text
 * @param definition identifies what decides the numbers, weights aside: the suite's content less
 *     comments, description, checks and reports, with seed and limit; null in results written
 *     before it was recorded
 * @param weights the SHA-256 of each model's weights file, by model name (models trained in the run
 *     have none); a resumed run whose definition matches runs again the cases of models whose
 *     weights changed
 */
public record SuiteInfo(
    String name,
    String description,
    String file,
    long seed,
    Integer limit,
    String dataset,
    String split,
    int images,
    String fingerprint,
    String yaml,
    String definition,
    Map<String, String> weights) {

  public SuiteInfo {
    weights =
        weights == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
  }
}
