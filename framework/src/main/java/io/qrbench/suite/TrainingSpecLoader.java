package io.qrbench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.PluginKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a training spec, with the same error reporting as suites: every problem at once, with file,
 * line, column, path, what was expected and the closest known name.
 */
public final class TrainingSpecLoader {
  private final PluginRegistry registry;

  public TrainingSpecLoader(PluginRegistry registry) {
    this.registry = registry;
  }

  /** Loads and validates a spec file. */
  public TrainingSpec load(Path file) {
    String text = YamlDocument.read(file, "training spec");
    return parse(file.toString(), text, file.toAbsolutePath().getParent());
  }

  /** Validates spec text; relative paths resolve against {@code baseDir}. */
  public TrainingSpec parse(String file, String text, Path baseDir) {
    YamlDocument doc = YamlDocument.parse(file, text);
    List<SuiteProblem> problems = new ArrayList<>();
    ConfigBinder binder = new ConfigBinder(doc, problems);
    PluginResolver resolver = new PluginResolver(doc, problems, binder, registry);
    TrainingSpec spec = null;
    if (!doc.root().isObject()) {
      problems.add(
          doc.problemAtValue(
              "",
              "a training spec must be a mapping of keys to values, found "
                  + ConfigBinder.found(doc.root()),
              "start from a spec under models/"));
    } else {
      Optional<TrainingDocument> d = binder.bind("", doc.root(), TrainingDocument.class);
      if (d.isPresent()) {
        spec = resolve(d.get(), doc, problems, binder, resolver, text, baseDir);
      }
    }
    if (!problems.isEmpty()) {
      throw new SuiteException(
          new LinkedHashSet<>(problems)
              .stream()
                  .sorted(
                      Comparator.comparingInt(SuiteProblem::line)
                          .thenComparingInt(SuiteProblem::column))
                  .toList());
    }
    return spec;
  }

  private static TrainingSpec resolve(
      TrainingDocument d,
      YamlDocument doc,
      List<SuiteProblem> problems,
      ConfigBinder binder,
      PluginResolver resolver,
      String text,
      Path baseDir) {
    if (d.name() == null) {
      problems.add(
          doc.problemAtKey("", "missing key 'name'", "name the weights: 'name: resnet20-fp'"));
    } else {
      // the name becomes the weights file, <out>/<name>.params, and the default folder
      // runs/train/<name>
      Names.fileProblem(d.name())
          .ifPresent(
              p ->
                  problems.add(
                      doc.problemAtValue(
                          "/name",
                          p + " (the weights are saved as <name>.params)",
                          Names.fileFix(d.name()))));
    }
    JsonNode epochs =
        doc.root().path("epochs"); // a value out of range is reported already, and dropped
    if (epochs.isMissingNode() || epochs.isNull()) {
      problems.add(
          doc.problemAtKey("", "missing key 'epochs'", "say how long to train: 'epochs: 30'"));
    }
    int batchSize = d.batchSize() == null ? 128 : d.batchSize();
    PluginConfig model = null;
    if (SuiteLoader.absent(d.model())) {
      problems.add(
          doc.problemAtKey(
              "", "missing key 'model'", "e.g. 'model: {id: resnet-cifar, depth: 20}'"));
    } else {
      model = resolver.plugin(PluginKind.MODEL, "/model", d.model(), Set.of());
    }
    PluginConfig dataset = null;
    Integer limit = null;
    Integer testLimit = null;
    if (SuiteLoader.absent(d.dataset())) {
      problems.add(doc.problemAtKey("", "missing key 'dataset'", "e.g. 'dataset: cifar10'"));
    } else {
      dataset =
          resolver.plugin(
              PluginKind.DATASET, "/dataset", d.dataset(), Set.of("limit", "test-limit"));
      limit = positive(d.dataset(), "limit", doc, binder, problems);
      testLimit = positive(d.dataset(), "test-limit", doc, binder, problems);
    }
    JsonNode q = SuiteLoader.absent(d.quantizer()) ? TextNode.valueOf("fp32") : d.quantizer();
    PluginConfig quantizer = resolver.plugin(PluginKind.QUANTIZER, "/quantizer", q, Set.of());
    Path init = null;
    if (d.init() != null) {
      init = baseDir.resolve(d.init()).normalize();
      if (!Files.isRegularFile(init)) {
        problems.add(
            doc.problemAtValue(
                "/init",
                "weights file not found: " + init,
                "paths are relative to the spec's folder; train the full-precision model first"));
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new TrainingSpec(
        doc.file(),
        text,
        d.name(),
        d.seed() == null ? 0 : d.seed(),
        model,
        dataset,
        limit,
        testLimit,
        quantizer,
        init,
        d.epochs(),
        batchSize,
        d.optimizer() == null ? OptimizerSpec.defaults() : d.optimizer(),
        d.schedule() == null ? ScheduleSpec.cosine() : d.schedule(),
        d.augment() == null ? AugmentSpec.standard() : d.augment());
  }

  private static Integer positive(
      JsonNode node,
      String key,
      YamlDocument doc,
      ConfigBinder binder,
      List<SuiteProblem> problems) {
    if (!node.isObject() || node.get(key) == null) {
      return null;
    }
    return binder
        .bind(
            "/dataset/" + key,
            node.get(key),
            Integer.class,
            Bounds.Range.integers(
                1, Integer.MAX_VALUE, "leave '" + key + "' out to use every image"))
        .orElse(null);
  }
}
