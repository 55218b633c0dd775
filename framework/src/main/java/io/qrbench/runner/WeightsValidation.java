package io.qrbench.runner;

import io.qrbench.ConfigException;
import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.Layers;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;
import io.qrbench.suite.Suite;
import io.qrbench.suite.Suite.ModelEntry;
import io.qrbench.suite.SuiteException;
import io.qrbench.suite.SuitePlaces;
import io.qrbench.suite.SuiteProblem;
import io.qrbench.weights.MetadataCheck;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks every weights file a suite names, as far as loading it goes, before a run writes anything:
 * header, checksum, metadata against the suite's model, dataset and (for a packed file) quantizer,
 * then a load into the model as the runner builds it. A TorchScript file is loaded and run on a
 * batch of zeros by its provider. Each problem is placed at the model's {@code weights:}.
 */
public final class WeightsValidation {
  private WeightsValidation() {}

  /**
   * @return how many weights files were checked
   * @throws SuiteException listing every weights file that would fail to load, and why
   */
  public static int check(Suite suite) {
    List<ModelEntry> named = suite.models().stream().filter(m -> m.weights() != null).toList();
    if (named.isEmpty()) {
      return 0;
    }
    ModelInput input = input(suite);
    List<SuiteProblem> problems = new ArrayList<>();
    SuitePlaces places = null;
    for (int i = 0; i < suite.models().size(); i++) {
      ModelEntry entry = suite.models().get(i);
      if (entry.weights() == null) {
        continue;
      }
      try {
        check(entry, input);
      } catch (ConfigException e) {
        places = places != null ? places : SuitePlaces.of(suite);
        problems.add(places.atValue("/models/" + i + "/weights", e.getMessage(), ""));
      }
    }
    if (!problems.isEmpty()) {
      throw new SuiteException(problems);
    }
    return named.size();
  }

  /** Loads one model's weights as the runner would, and lets go of them. */
  private static void check(ModelEntry entry, ModelInput input) {
    Path file = entry.weights();
    if (entry.model().plugin(ModelProvider.class).readsOwnWeights()) {
      Layers layers = Layers.plain();
      try (LoadedModel m =
          new LoadedModel(
              entry.name(),
              input,
              layers,
              manager ->
                  Invoke.build(
                      entry.model(),
                      new ModelContext(
                          input,
                          layers,
                          manager,
                          Optional.of(file),
                          EnvironmentProbe.engineThreads())))) {
        return; // the provider checked the file while building
      }
    }
    WeightsMetadata meta = WeightsFile.readMetadata(file);
    MetadataCheck.check(file, meta, entry.model(), input);
    if (WeightsFile.isPacked(file)) {
      MetadataCheck.checkPacked(file, meta, entry.quantizer());
    }
    try (LoadedModel m =
        ModelPreparation.build(
            entry.name(), entry.model(), entry.quantizer(), input, Optional.empty())) {
      ModelPreparation.loadWeights(m, entry.model(), entry.quantizer(), file);
    }
  }

  /** The data's shape, from the dataset's configuration when it says, else from opening it. */
  private static ModelInput input(Suite suite) {
    Optional<ModelInput> declared =
        declared(
            suite.dataset().provider().plugin(DatasetProvider.class),
            suite.dataset().provider().config());
    if (declared.isPresent()) {
      return declared.get();
    }
    ImageDataset data = Invoke.open(suite.dataset().provider(), suite.dataset().split());
    return new ModelInput(data.channels(), data.height(), data.width(), data.classNames().size());
  }

  private static <C extends Record> Optional<ModelInput> declared(
      DatasetProvider<C> p, Record config) {
    return p.input(p.configType().cast(config));
  }
}
