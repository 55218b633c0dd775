package io.qrbench.result;

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
 * @param fingerprint identifies suite text, seed and limit; resuming requires the same
 * @param yaml the suite's text
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
    String yaml) {}
