package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qrbench.check.Check;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.ModelProvider;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.Split;
import io.qrbench.suite.Suite.DatasetRef;
import io.qrbench.suite.Suite.Level;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.suite.Suite.PerturbationEntry;
import io.qrbench.suite.SuiteDocument.ModelDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a suite file into a validated {@link Suite}. Every problem found is reported at once, each
 * with the file, line and column, the path in the document, what was expected and, for names, the
 * closest known one.
 */
public final class SuiteLoader {
  static final int DEFAULT_BATCH_SIZE = 128;

  private final PluginRegistry registry;

  public SuiteLoader(PluginRegistry registry) {
    this.registry = registry;
  }

  /**
   * Loads and validates a suite file.
   *
   * @throws SuiteException listing every problem found
   */
  public Suite load(Path file) {
    String text = YamlDocument.read(file, "suite");
    Path base = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, base);
  }

  /**
   * Validates suite text.
   *
   * @param file the name to report problems under
   * @param text the YAML
   * @param baseDir the folder relative weight paths are resolved against
   */
  public Suite parse(String file, String text, Path baseDir) {
    YamlDocument doc = YamlDocument.parse(file, text);
    List<SuiteProblem> problems = new ArrayList<>();
    Suite suite = new Resolution(doc, problems, baseDir).suite(text);
    if (!problems.isEmpty()) {
      // levels of one perturbation share their keys: report each problem once, in document order
      throw new SuiteException(
          new java.util.LinkedHashSet<>(problems)
              .stream()
                  .sorted(
                      java.util.Comparator.comparingInt(SuiteProblem::line)
                          .thenComparingInt(SuiteProblem::column))
                  .toList());
    }
    return suite;
  }

  /** A perturbation's keys the framework reads, not the plugin. */
  private static final Set<String> PERTURBATION_KEYS = Set.of("name", "source", "space", "clip");

  private static final Set<String> PERTURBATION_KEYS_AND_ID =
      Set.of("id", "name", "source", "space", "clip");

  /** One pass over one document, collecting problems. */
  private final class Resolution {
    private final YamlDocument doc;
    private final List<SuiteProblem> problems;
    private final ConfigBinder binder;
    private final PluginResolver resolver;
    private final PerturbationFraming framing;
    private final Path baseDir;

    Resolution(YamlDocument doc, List<SuiteProblem> problems, Path baseDir) {
      this.doc = doc;
      this.problems = problems;
      this.binder = new ConfigBinder(doc, problems);
      this.resolver = new PluginResolver(doc, problems, binder, registry);
      this.framing = new PerturbationFraming(doc, problems, binder, resolver);
      this.baseDir = baseDir;
    }

    Suite suite(String text) {
      if (!doc.root().isObject()) {
        problems.add(
            doc.problemAtValue(
                "",
                "a suite must be a mapping of keys to values, found "
                    + ConfigBinder.found(doc.root()),
                "start from suites/quickstart.yaml"));
        return null;
      }
      Optional<SuiteDocument> top = binder.bind("", doc.root(), SuiteDocument.class);
      if (top.isEmpty()) {
        return null;
      }
      SuiteDocument d = top.get();
      String name = required(d.name(), "/name", "name", "give the suite a name: 'name: my-suite'");
      if (name != null) {
        // the name becomes the default output folder, runs/<name>/<date-time>
        Names.fileProblem(name)
            .ifPresent(
                p ->
                    problems.add(
                        doc.problemAtValue(
                            "/name",
                            p + " (it names the output folder, runs/<name>/)",
                            Names.fileFix(name))));
      }
      List<ModelEntry> models = models(d.models());
      DatasetRef dataset = dataset(d.dataset());
      List<PerturbationEntry> perturbations = perturbations(d.perturbations(), models);
      List<PluginConfig> reports = reports(d.reports());
      List<Check> checks = checks(d.checks(), models, perturbations);
      int batchSize = d.batchSize() == null ? DEFAULT_BATCH_SIZE : d.batchSize();
      // bound from the document's own subtree, which keeps the locations of its keys
      SpeedSpec speed = SpeedSpecLoader.resolve(doc.root().get("speed"), doc, binder, problems);
      if (!problems.isEmpty()) {
        return null;
      }
      return new Suite(
          doc.file(),
          text,
          name,
          d.description() == null ? "" : d.description(),
          d.seed() == null ? 0L : d.seed(),
          dataset,
          models,
          perturbations,
          batchSize,
          reports,
          checks,
          speed);
    }

    private <T> T required(T value, String pointer, String key, String fix) {
      if (value == null) {
        problems.add(
            doc.problemAtKey(YamlDocument.parent(pointer), "missing key '" + key + "'", fix));
      }
      return value;
    }

    private DatasetRef dataset(JsonNode node) {
      if (absent(node)) {
        problems.add(
            doc.problemAtKey(
                "",
                "missing key 'dataset'",
                "name the images to evaluate on, e.g. 'dataset: {id: synthetic, split: test}'"));
        return null;
      }
      Split split = Split.TEST;
      Integer limit = null;
      if (node.isObject()) {
        JsonNode s = node.get("split");
        if (s != null) {
          split = binder.bind("/dataset/split", s, Split.class).orElse(Split.TEST);
        }
        JsonNode l = node.get("limit");
        if (l != null) {
          limit =
              binder
                  .bind(
                      "/dataset/limit",
                      l,
                      Integer.class,
                      Bounds.Range.integers(
                          1, Integer.MAX_VALUE, "leave 'limit' out to use every image"))
                  .orElse(null);
        }
      }
      PluginConfig provider =
          plugin(PluginKind.DATASET, "/dataset", node, Set.of("split", "limit"));
      return new DatasetRef(provider, split, limit);
    }

    private List<ModelEntry> models(List<JsonNode> nodes) {
      List<ModelEntry> models = new ArrayList<>();
      if (nodes == null || nodes.isEmpty()) {
        problems.add(
            doc.problemAtKey(
                nodes == null ? "" : "/models",
                nodes == null ? "missing key 'models'" : "'models' is empty",
                "list at least one model: '- {name: FP, model: small-cnn, train: {epochs: 3}}'"));
        return models;
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < nodes.size(); i++) {
        String at = YamlDocument.child("/models", i);
        Optional<ModelDocument> m = binder.bind(at, nodes.get(i), ModelDocument.class);
        if (m.isEmpty()) {
          continue;
        }
        ModelDocument md = m.get();
        String name =
            required(
                md.name(), at + "/name", "name", "give each model a display name, e.g. 'name: FP'");
        if (name != null) {
          // a model trained in the run is saved under its name, models/<name>.params
          Optional<String> bad =
              md.train() != null ? Names.fileProblem(name) : Names.displayProblem(name);
          bad.ifPresent(
              p ->
                  problems.add(
                      doc.problemAtValue(
                          at + "/name",
                          p
                              + (md.train() != null
                                  ? " (a model trained in the run is saved as models/<name>.params)"
                                  : ""),
                          Names.fileFix(name))));
        }
        if (name != null && !names.add(name)) {
          problems.add(
              doc.problemAtValue(
                  at + "/name",
                  "two models are named '" + name + "'",
                  "give each model its own name"));
        }
        Deployment deploy = md.deploy();
        if (deploy != null) {
          models.add(deployment(at, name, md));
          continue;
        }
        if (absent(md.model())) {
          problems.add(
              doc.problemAtKey(
                  at,
                  "missing key 'model'",
                  "name the architecture, e.g. 'model: small-cnn'; see 'qrbench list-plugins --kind model'"));
        }
        PluginConfig model =
            absent(md.model())
                ? null
                : plugin(PluginKind.MODEL, at + "/model", md.model(), Set.of());
        JsonNode q = absent(md.quantizer()) ? TextNode.valueOf("fp32") : md.quantizer();
        PluginConfig quantizer = plugin(PluginKind.QUANTIZER, at + "/quantizer", q, Set.of());
        Path weights = null;
        if (md.weights() != null) {
          weights = baseDir.resolve(md.weights()).normalize();
          if (!Files.isRegularFile(weights)) {
            problems.add(
                doc.problemAtValue(
                    at + "/weights",
                    "weights file not found: " + weights,
                    "paths are relative to the suite's folder; train one with 'train:' instead"));
          }
        }
        boolean ownWeights =
            model != null && model.plugin(io.qrbench.spi.ModelProvider.class).readsOwnWeights();
        if (ownWeights && weights == null) {
          problems.add(
              doc.problemAtKey(
                  at,
                  "model '"
                      + name
                      + "' ("
                      + model.id()
                      + ") reads its weights from a file, and none is named",
                  "name the file with 'weights:', relative to the suite's folder"));
        } else if (ownWeights && md.train() != null) {
          problems.add(
              doc.problemAtKey(
                  at + "/train",
                  "model '"
                      + name
                      + "' ("
                      + model.id()
                      + ") is imported ready-trained and cannot be trained in the run",
                  "remove 'train'"));
        } else if (weights == null && md.train() == null) {
          problems.add(
              doc.problemAtKey(
                  at,
                  "model '" + name + "' has neither 'weights' nor 'train'",
                  "name a weights file with 'weights:', or train it in the run with 'train: {epochs: 3}'"));
        }
        if (!ownWeights && weights != null && md.train() != null) {
          problems.add(
              doc.problemAtKey(
                  at + "/train",
                  "model '" + name + "' has both 'weights' and 'train'",
                  "keep one: 'weights' to evaluate a trained model, 'train' to train it in the run"));
        }
        int recalibrate = md.recalibrateBn() == null ? 0 : md.recalibrateBn();
        if (recalibrate > 0 && ownWeights) {
          problems.add(
              doc.problemAtKey(
                  at + "/recalibrate-bn",
                  "model '"
                      + name
                      + "' ("
                      + model.id()
                      + ") is imported as it is; its BatchNorm statistics cannot be re-estimated",
                  "remove 'recalibrate-bn'"));
        }
        if (model != null
            && quantizer != null
            && !differentiable(model)
            && !quantizer.id().equals("fp32")) {
          problems.add(
              doc.problemAtValue(
                  at + "/quantizer",
                  "model '"
                      + name
                      + "' ("
                      + model.id()
                      + ") cannot take quantizer '"
                      + quantizer.id()
                      + "': an ONNX model is already deployed: quantize it before export (qrbench"
                      + " export --quantizer ...)",
                  "remove 'quantizer' here (fp32, the default, evaluates the file as it is)"));
        }
        boolean fold = Boolean.TRUE.equals(md.foldBatchnorm());
        if (fold && ownWeights) {
          problems.add(
              doc.problemAtKey(
                  at + "/fold-batchnorm",
                  "model '"
                      + name
                      + "' ("
                      + model.id()
                      + ") is imported as it is; qrbench cannot see its layers to fold BatchNorm"
                      + " into them",
                  "remove 'fold-batchnorm' (it folds the layers of models qrbench builds, such as"
                      + " resnet-cifar)"));
        }
        models.add(
            new ModelEntry(
                name,
                model,
                quantizer,
                weights,
                md.train(),
                recalibrate,
                null,
                fold && !ownWeights));
      }
      checkDeployments(nodes, models);
      return models;
    }

    /**
     * A model deployed from another suite model: evaluated by the {@code onnx} model (or the one
     * {@code model:} names) on the file the runner exports; it has no weights, training or
     * quantizer of its own.
     */
    private ModelEntry deployment(String at, String name, SuiteDocument.ModelDocument md) {
      JsonNode m = absent(md.model()) ? TextNode.valueOf("onnx") : md.model();
      PluginConfig model = plugin(PluginKind.MODEL, at + "/model", m, Set.of());
      if (model != null && !model.plugin(io.qrbench.spi.ModelProvider.class).readsOwnWeights()) {
        problems.add(
            doc.problemAtValue(
                at + "/model",
                "a deployed model is read from the exported file, and model '"
                    + model.id()
                    + "' does not read files",
                "leave 'model' out (ONNX Runtime, model 'onnx') or name a model that reads an ONNX"
                    + " file"));
      }
      Map<String, Boolean> own = new java.util.LinkedHashMap<>();
      own.put("weights", md.weights() != null);
      own.put("train", md.train() != null);
      own.put("quantizer", !absent(md.quantizer()));
      own.put("recalibrate-bn", md.recalibrateBn() != null);
      own.put("fold-batchnorm", md.foldBatchnorm() != null);
      own.forEach(
          (key, given) -> {
            if (given) {
              problems.add(
                  doc.problemAtKey(
                      at + "/" + key,
                      "model '"
                          + name
                          + "' is deployed from '"
                          + md.deploy().from()
                          + "' and has no '"
                          + key
                          + "' of its own",
                      "remove '"
                          + key
                          + "': the deployment is exported from its source as the source was"
                          + " prepared"));
            }
          });
      if (md.deploy().from() == null) {
        problems.add(
            doc.problemAtKey(
                at + "/deploy",
                "missing key 'from'",
                "name the suite model to export, e.g. 'deploy: {from: TWN}'"));
      }
      PluginConfig fp32 = plugin(PluginKind.QUANTIZER, at, TextNode.valueOf("fp32"), Set.of());
      return new ModelEntry(name, model, fp32, null, null, 0, md.deploy());
    }

    /** Each deployment's source is another suite model, itself not a deployment. */
    private void checkDeployments(List<JsonNode> nodes, List<ModelEntry> models) {
      Map<String, ModelEntry> byName = new java.util.HashMap<>();
      models.forEach(e -> byName.put(e.name(), e));
      for (int i = 0; i < models.size(); i++) {
        ModelEntry e = models.get(i);
        if (e.deploy() == null || e.deploy().from() == null) {
          continue;
        }
        String at = YamlDocument.child("/models", indexOf(nodes, e.name(), i)) + "/deploy/from";
        ModelEntry from = byName.get(e.deploy().from());
        if (from == null) {
          problems.add(
              doc.problemAtValue(
                  at,
                  "no model named '"
                      + e.deploy().from()
                      + "' in the suite"
                      + io.qrbench.registry.Suggestions.closest(
                              e.deploy().from(), models.stream().map(ModelEntry::name).toList())
                          .map(n -> "; did you mean '" + n + "'?")
                          .orElse(""),
                  "name one of the suite's models"));
        } else if (from.deploy() != null || from == e) {
          problems.add(
              doc.problemAtValue(
                  at,
                  "'" + from.name() + "' is itself a deployment",
                  "deploy from a model with weights or training"));
        }
      }
    }

    /**
     * The index of the model named {@code name} among {@code nodes}; {@code fallback} if unsure.
     */
    private static int indexOf(List<JsonNode> nodes, String name, int fallback) {
      for (int i = 0; i < nodes.size(); i++) {
        JsonNode n = nodes.get(i).get("name");
        if (n != null && name.equals(n.asText())) {
          return i;
        }
      }
      return fallback;
    }

    private List<PerturbationEntry> perturbations(List<JsonNode> nodes, List<ModelEntry> models) {
      List<String> modelNames = models.stream().map(ModelEntry::name).toList();
      if (nodes == null) {
        nodes = List.of(TextNode.valueOf("none"));
      }
      List<PerturbationEntry> entries = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < nodes.size(); i++) {
        String at = YamlDocument.child("/perturbations", i);
        JsonNode node = nodes.get(i);
        boolean chain = PerturbationFraming.isChain(node);
        Optional<PluginResolver.Resolved> r =
            chain
                ? Optional.empty()
                : resolver.resolve(PluginKind.PERTURBATION, at, node, PERTURBATION_KEYS);
        Optional<PerturbationFraming.Chain> chained =
            chain ? framing.chain(at, node) : Optional.empty();
        if (r.isEmpty() && chained.isEmpty()) {
          continue;
        }
        Perturbation<?> plugin =
            chain ? chained.get().plugin() : (Perturbation<?>) r.get().plugin();
        String source = null;
        JsonNode src = node.isObject() ? node.get("source") : null;
        if (src != null) {
          source = binder.bind(at + "/source", src, String.class).orElse(null);
          if (source != null && !modelNames.contains(source)) {
            problems.add(
                doc.problemAtValue(
                    at + "/source",
                    "no model is named '"
                        + source
                        + "'"
                        + io.qrbench.registry.Suggestions.closest(source, modelNames)
                            .map(s -> "; did you mean '" + s + "'?")
                            .orElse(""),
                    "name one of the suite's models: " + String.join(", ", modelNames)));
          }
        }
        String name = source == null ? plugin.id() : plugin.id() + "@" + source;
        JsonNode n = node.isObject() ? node.get("name") : null;
        if (n != null) {
          name = binder.bind(at + "/name", n, String.class).orElse(name);
          Names.displayProblem(name)
              .ifPresent(
                  p -> problems.add(doc.problemAtValue(at + "/name", p, "e.g. 'name: pgd-l2'")));
        }
        if (!names.add(name)) {
          problems.add(
              doc.problemAtKey(
                  at,
                  "two perturbations are named '" + name + "'",
                  "add 'name: <something unique>' to one of them, or merge their values into one list"));
        }
        List<Level> levels = chain ? chained.get().levels() : levels(at, r.get(), plugin, node);
        if (levels == null) {
          continue;
        }
        if (!chain) {
          plugin = framing.spaced(at, node, plugin);
          if (plugin == null) {
            continue;
          }
        }
        if (source == null) {
          gradientsFromDeployedModels(at, name, plugin, levels, models);
        }
        entries.add(new PerturbationEntry(name, plugin, levels, source));
      }
      return entries;
    }

    /** A plugin perturbation's levels, one per combination of swept values; null on a problem. */
    private List<Level> levels(
        String at, PluginResolver.Resolved r, Perturbation<?> plugin, JsonNode node) {
      int before = problems.size();
      Bounds.strip(
          doc, at, r.body(), plugin.configType(), null, problems); // each swept value at its place
      if (problems.size() > before) {
        return null;
      }
      List<Level> levels = new ArrayList<>();
      for (LevelExpansion.Expanded e : LevelExpansion.expand(r.body(), plugin.configType())) {
        java.util.Map<String, Object> params = PluginResolver.params(e.body());
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
        e.swept().forEach(k -> values.put(k, params.get(k)));
        if (node.isObject()) { // the framework's keys as written, so that reports show the space
          java.util.Map<String, Object> written = PluginResolver.params(node);
          PerturbationFraming.SPACE_KEYS.stream()
              .filter(written::containsKey)
              .sorted()
              .forEach(k -> params.put(k, written.get(k)));
        }
        binder
            .bind(at, e.body(), plugin.configType(), PERTURBATION_KEYS_AND_ID)
            .ifPresent(cfg -> levels.add(new Level(e.label(), (Record) cfg, params, values)));
      }
      return levels;
    }

    /**
     * A white-box level without {@code source:} asks every model of the suite for gradients, which
     * a deployed model (ONNX Runtime) cannot give: refused here rather than after the models load.
     */
    private void gradientsFromDeployedModels(
        String at,
        String name,
        Perturbation<?> plugin,
        List<Level> levels,
        List<ModelEntry> models) {
      List<ModelEntry> deployed =
          models.stream().filter(m -> m.model() != null && !differentiable(m.model())).toList();
      if (deployed.isEmpty() || levels.stream().noneMatch(l -> usesGradients(plugin, l.config()))) {
        return;
      }
      List<String> twins =
          models.stream()
              .filter(m -> m.model() != null && differentiable(m.model()))
              .map(ModelEntry::name)
              .toList();
      ModelEntry first = deployed.get(0);
      problems.add(
          doc.problemAtKey(
              at,
              "perturbation '"
                  + name
                  + "' ("
                  + plugin.id()
                  + ") is a white-box attack, which needs the model's gradients, and model '"
                  + first.name()
                  + "' ("
                  + first.model().id()
                  + ") runs on a runtime that gives none"
                  + (deployed.size() > 1 ? " (so do " + (deployed.size() - 1) + " more)" : ""),
              "craft the images on a differentiable model of the suite with 'source: "
                  + (twins.isEmpty() ? "<model>" : twins.get(0))
                  + "' (a transfer attack), or use a black-box attack such as 'square'"));
    }

    private List<PluginConfig> reports(List<JsonNode> nodes) {
      if (nodes == null) {
        nodes = List.of(TextNode.valueOf("json"));
      }
      List<PluginConfig> reports = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        PluginConfig p =
            plugin(PluginKind.REPORT, YamlDocument.child("/reports", i), nodes.get(i), Set.of());
        if (p != null) {
          reports.add(p);
        }
      }
      return reports;
    }

    /**
     * Parses each check and resolves its references against the suite's models and perturbations.
     */
    private List<Check> checks(
        List<JsonNode> nodes, List<ModelEntry> models, List<PerturbationEntry> perturbations) {
      List<Check> checks = new ArrayList<>();
      if (nodes == null) {
        return checks;
      }
      List<String> modelNames = models.stream().map(ModelEntry::name).toList();
      java.util.Map<String, List<io.qrbench.result.Level>> levels = new java.util.LinkedHashMap<>();
      perturbations.forEach(
          p -> levels.put(p.name(), p.levels().stream().map(Level::result).toList()));
      String example =
          "e.g. '- \""
              + (modelNames.isEmpty() ? "FP" : modelNames.get(modelNames.size() - 1))
              + ".clean.top1 >= "
              + (modelNames.isEmpty() ? "FP" : modelNames.get(0))
              + ".clean.top1 - 1.0\"'";
      for (int i = 0; i < nodes.size(); i++) {
        String at = YamlDocument.child("/checks", i);
        if (!nodes.get(i).isTextual()) {
          problems.add(
              doc.problemAtValue(
                  at,
                  "a check is one line of text, found " + ConfigBinder.found(nodes.get(i)),
                  "quote it: " + example));
          continue;
        }
        try {
          Check c = Check.parse(nodes.get(i).asText());
          List<String> wrong = io.qrbench.check.Checks.problems(c, modelNames, levels);
          wrong.forEach(
              w ->
                  problems.add(
                      doc.problemAtValue(
                          at,
                          "check '" + c.text() + "': " + w,
                          "references are MODEL.CASE.METRIC, " + example)));
          if (wrong.isEmpty()) {
            checks.add(c);
          }
        } catch (io.qrbench.check.CheckSyntaxException e) {
          String text = nodes.get(i).asText();
          String shown = text.length() <= 80 ? text : text.substring(0, 60) + "...";
          problems.add(
              doc.problemAtValue(
                  at,
                  "check '" + shown + "': " + e.getMessage(),
                  "a check compares two expressions, " + example));
        }
      }
      return checks;
    }

    private PluginConfig plugin(
        PluginKind kind, String at, JsonNode node, Set<String> frameworkKeys) {
      return resolver.plugin(kind, at, node, frameworkKeys);
    }
  }

  /** Whether the suite's model gives gradients ({@link ModelProvider#differentiable}). */
  static boolean differentiable(PluginConfig model) {
    return differentiable(model.plugin(ModelProvider.class), model.config());
  }

  private static <C extends Record> boolean differentiable(ModelProvider<C> p, Record config) {
    return p.differentiable(p.configType().cast(config));
  }

  /** Whether a perturbation's level asks the model for gradients. */
  static boolean usesGradients(Perturbation<?> plugin, Record config) {
    return gradients(plugin, config);
  }

  private static <C extends Record> boolean gradients(Perturbation<C> p, Record config) {
    return p.usesGradients(p.configType().cast(config));
  }

  static boolean absent(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode();
  }
}
