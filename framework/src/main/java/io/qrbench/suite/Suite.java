package io.qrbench.suite;

import io.qrbench.check.Check;
import io.qrbench.io.Sha256;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.Split;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A validated benchmark suite: what to evaluate, on what, under which perturbations.
 *
 * @param file the suite file as the user named it
 * @param source the suite's YAML text, recorded with the results
 * @param name the suite's name
 * @param description what the suite is for
 * @param seed the seed every random draw derives from
 * @param dataset the images to evaluate on
 * @param models the models to compare
 * @param perturbations what to do to the images, each expanded into levels
 * @param batchSize images per evaluation batch
 * @param reports the report writers to run at the end
 * @param speed how to time each model's forward pass after its cases, or null not to
 */
public record Suite(
    String file,
    String source,
    String name,
    String description,
    long seed,
    DatasetRef dataset,
    List<ModelEntry> models,
    List<PerturbationEntry> perturbations,
    int batchSize,
    List<PluginConfig> reports,
    List<Check> checks,
    SpeedSpec speed) {

  public Suite {
    checks = checks == null ? List.of() : List.copyOf(checks);
    models = List.copyOf(models);
    perturbations = List.copyOf(perturbations);
    reports = List.copyOf(reports);
  }

  /** The same suite with another seed (the CLI's {@code --seed}). */
  public Suite withSeed(long newSeed) {
    return new Suite(
        file,
        source,
        name,
        description,
        newSeed,
        dataset,
        models,
        perturbations,
        batchSize,
        reports,
        checks,
        speed);
  }

  /** The same suite evaluated on at most {@code limit} images (the CLI's {@code --limit}). */
  public Suite withLimit(int limit) {
    DatasetRef d = new DatasetRef(dataset.provider(), dataset.split(), limit);
    return new Suite(
        file,
        source,
        name,
        description,
        seed,
        d,
        models,
        perturbations,
        batchSize,
        reports,
        checks,
        speed);
  }

  /**
   * Identifies what this suite computes: its {@link #definition()} and the content of every weights
   * file it names (retrained weights under the same path are another computation). Results of a run
   * can be resumed in full only by a suite with the same fingerprint.
   */
  public String fingerprint() {
    return fingerprint(weightsDigests());
  }

  /** {@link #fingerprint()} from weights digests already taken (each file is read once per run). */
  public String fingerprint(Map<String, String> digests) {
    return withWeights(definition(), digests);
  }

  /** SHA-256 of {@code base} followed by each model's weights digest, in suite order. */
  private static String withWeights(String base, Map<String, String> digests) {
    MessageDigest md = Sha256.digest();
    md.update(base.getBytes(StandardCharsets.UTF_8));
    digests.forEach(
        (model, sum) ->
            md.update(("\nweights:" + model + "=sha256:" + sum).getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Identifies what decides the suite's numbers, weights aside: the bound suite, every plugin with
   * its full configuration (defaults included), with the seed and image limit. How the YAML was
   * written (comments, layout, key order, aliases, a default spelled out or left out) does not
   * count, nor do its name, {@code description}, {@code checks} and {@code reports}, none of which
   * changes a case. A run whose definition matches can be resumed: what changed weights touch runs
   * again, the rest is kept, and checks and reports follow the suite as it is now.
   */
  public String definition() {
    Map<String, Object> content = new java.util.LinkedHashMap<>();
    content.put("dataset", plugin(dataset.provider()));
    content.put("split", dataset.split().name());
    content.put("batch-size", batchSize);
    content.put("models", models.stream().map(Suite::bound).toList());
    content.put("perturbations", perturbations.stream().map(Suite::bound).toList());
    content.put("speed", speed == null ? null : ConfigMaps.of(speed));
    String text;
    try {
      text = ConfigBinder.MAPPER.writeValueAsString(content);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      text = content.toString(); // records print every component; a bound suite's values all do
    }
    return HexFormat.of()
        .formatHex(Sha256.digest().digest((text + settings()).getBytes(StandardCharsets.UTF_8)));
  }

  /** A plugin as the definition counts it: its id and its full configuration. */
  private static Map<String, Object> plugin(PluginConfig p) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("id", p.id());
    m.put("config", ConfigMaps.of(p.config()));
    return m;
  }

  /** A model as the definition counts it; its weights count by content, in the fingerprint. */
  private static Map<String, Object> bound(ModelEntry e) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("name", e.name());
    m.put("model", plugin(e.model()));
    m.put("quantizer", plugin(e.quantizer()));
    m.put("weights", e.weights() != null);
    m.put("train", e.train() == null ? null : ConfigMaps.of(e.train()));
    m.put("recalibrate-bn", e.recalibrateBn());
    if (e.deploy() != null) { // absent otherwise, so that earlier runs' definitions still match
      m.put("deploy", ConfigMaps.of(e.deploy()));
    }
    if (e.foldBatchNorm()) { // absent otherwise, as for deploy
      m.put("fold-batchnorm", true);
    }
    return m;
  }

  /** A perturbation as the definition counts it: each level with its full configuration. */
  private static Map<String, Object> bound(PerturbationEntry p) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("name", p.name());
    m.put("id", p.plugin().id());
    m.put("source", p.source());
    if (p.plugin() instanceof io.qrbench.compose.Framed f) { // absent otherwise, as for deploy
      m.put("framework", f.definition());
    }
    if (p.plugin() instanceof io.qrbench.compose.ChainPerturbation c) {
      m.put("steps", c.steps().stream().map(st -> ConfigMaps.of(st.config())).toList());
    }
    m.put(
        "levels",
        p.levels().stream()
            .map(
                l -> {
                  Map<String, Object> level = new java.util.LinkedHashMap<>();
                  level.put("label", l.label());
                  level.put("config", ConfigMaps.of(l.config()));
                  return level;
                })
            .toList());
    return m;
  }

  /**
   * The fingerprint qrbench wrote before it took fingerprints from the bound suite (results of
   * schema {@code /1}, and {@code /2} files of that time): the suite's text, seed, limit and
   * weights. Kept so that a run started then still resumes; new results never carry it.
   */
  public String legacyFingerprint(Map<String, String> digests) {
    return withWeights(source + settings(), digests);
  }

  /**
   * The definition qrbench wrote before it took definitions from the bound suite: the YAML as read
   * (aliases resolved) less {@code description}, {@code checks} and {@code reports}, with the seed
   * and limit. Kept, as {@link #legacyFingerprint} is, so that older runs still resume.
   */
  public String legacyDefinition() {
    String content;
    try {
      com.fasterxml.jackson.databind.JsonNode tree =
          YamlReader.parse(String.valueOf(file), source).root();
      if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.remove(List.of("description", "checks", "reports"));
      }
      content = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tree);
    } catch (java.io.IOException | SuiteException e) {
      content = source;
    }
    return HexFormat.of()
        .formatHex(Sha256.digest().digest((content + settings()).getBytes(StandardCharsets.UTF_8)));
  }

  private String settings() {
    return "\nseed=" + seed + "\nlimit=" + dataset.limit();
  }

  /** The SHA-256 of each weights file the suite names, by model name, in suite order. */
  public Map<String, String> weightsDigests() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (ModelEntry m : models) {
      if (m.weights() != null && Files.isRegularFile(m.weights())) {
        out.put(m.name(), Sha256.of(m.weights(), "weights file"));
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * The dataset of a suite.
   *
   * @param provider the dataset plugin and its configuration
   * @param split which split to evaluate
   * @param limit evaluate only the first N images, or null for all
   */
  public record DatasetRef(PluginConfig provider, Split split, Integer limit) {}

  /**
   * One model to evaluate.
   *
   * @param name the display name, unique in the suite
   * @param model the model plugin and its configuration
   * @param quantizer the quantizer applied to its weights
   * @param weights the weights file, or null when the model is trained in the run
   * @param train how to train it in the run, or null when weights are given
   * @param recalibrateBn batches of training images to re-estimate BatchNorm's running statistics
   *     with after quantization; 0 to keep the trained statistics
   * @param deploy for a model that is another suite model exported to ONNX, how; else null
   * @param foldBatchNorm evaluate and attack it with every BatchNorm folded into the layer before
   *     it ({@code fold-batchnorm: true}): the same function, faster, logits equal to a few 1e-6
   */
  public record ModelEntry(
      String name,
      PluginConfig model,
      PluginConfig quantizer,
      Path weights,
      InRunTraining train,
      int recalibrateBn,
      Deployment deploy,
      boolean foldBatchNorm) {
    /** A model evaluated through its block (BatchNorm not folded). */
    public ModelEntry(
        String name,
        PluginConfig model,
        PluginConfig quantizer,
        Path weights,
        InRunTraining train,
        int recalibrateBn,
        Deployment deploy) {
      this(name, model, quantizer, weights, train, recalibrateBn, deploy, false);
    }

    /** A model with its own weights or training, not a deployment of another. */
    public ModelEntry(
        String name,
        PluginConfig model,
        PluginConfig quantizer,
        Path weights,
        InRunTraining train,
        int recalibrateBn) {
      this(name, model, quantizer, weights, train, recalibrateBn, null);
    }
  }

  /**
   * One perturbation with all its levels.
   *
   * @param name the display name, unique in the suite (the id unless the suite names it)
   * @param plugin the perturbation
   * @param levels one entry per combination of list-valued keys; one when there are none
   * @param source the suite model an attack crafts its images on (a transfer attack), or null to
   *     attack each model itself
   */
  public record PerturbationEntry(
      String name, Perturbation<?> plugin, List<Level> levels, String source) {
    public PerturbationEntry {
      levels = List.copyOf(levels);
    }
  }

  /**
   * One level of a perturbation.
   *
   * @param label the swept values, e.g. {@code epsilon=0.03}; empty when nothing is swept
   * @param config the bound configuration of this level
   * @param params the configuration as written, with this level's values
   * @param values each swept key's value at this level, typed (empty when nothing is swept)
   */
  public record Level(
      String label, Record config, Map<String, Object> params, Map<String, Object> values) {
    public Level {
      params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
      values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /**
     * The label the level's image seeds derive from: its own, but for a stage of a chain the whole
     * chain's (empty), so that stage k's images are those the whole chain passes through.
     */
    public String seedLabel() {
      return config instanceof io.qrbench.compose.ChainPerturbation.Config ? "" : label;
    }

    /** The level as results record it: label and typed values. */
    public io.qrbench.result.Level result() {
      return new io.qrbench.result.Level(label, values);
    }
  }
}
