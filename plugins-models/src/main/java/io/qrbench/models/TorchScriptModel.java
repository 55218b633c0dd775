package io.qrbench.models;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.spi.Bound;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Imports a classifier saved with {@code torch.jit.save}: a module that maps [0,1] NCHW float32
 * images to (N, classes) logits, with any normalisation inside. The suite's {@code weights:} key
 * names the {@code .pt} file; the module is loaded through DJL's API with the PyTorch engine, always
 * runs in eval mode with autograd available for attacks (see {@link EvalModeModule}), and lives as
 * long as the runner's model.
 */
public final class TorchScriptModel implements ModelProvider<TorchScriptModel.Config> {

  /**
   * What the module expects and returns; both are checked against the dataset.
   *
   * @param inputShape one image's shape, channels first: [channels, height, width]
   * @param classes the number of logits per image
   */
  public record Config(
      @JsonPropertyDescription("one image's shape the module takes, [channels, height, width], e.g. [3, 32, 32]; required")
          @Bound(min = 1, max = 4096) List<Integer> inputShape,
      @JsonPropertyDescription("number of logits the module returns per image; required")
          @Bound(min = 2, max = 100_000) Integer classes) {
    public Config {
      if (inputShape == null) {
        throw new IllegalArgumentException("input-shape is required: one image's shape, e.g. [3, 32, 32]");
      }
      if (inputShape.size() != 3 || inputShape.stream().anyMatch(d -> d == null || d < 1)) {
        throw new IllegalArgumentException(
            "input-shape must be three positive sizes [channels, height, width], was " + inputShape);
      }
      if (classes == null) {
        throw new IllegalArgumentException("classes is required: the number of logits the module returns");
      }
      if (classes < 2) {
        throw new IllegalArgumentException("classes must be at least 2, was " + classes);
      }
      inputShape = List.copyOf(inputShape);
    }
  }

  @Override
  public String id() {
    return "torchscript";
  }

  @Override
  public String description() {
    return "imports a TorchScript classifier (.pt from torch.jit.save) named by the suite's weights: key";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public boolean readsOwnWeights() {
    return true;
  }

  @Override
  public Block build(Config config, ModelContext context) {
    checkAgainstDataset(config, context.input());
    Path file = context.weights().orElseThrow(() -> new ConfigException(
        "torchscript needs the TorchScript file: name it with the model's weights: key in the suite"));
    checkReadable(file);
    NDManager owner = Objects.requireNonNull(context.manager(), "the model's manager");
    List<Integer> s = config.inputShape();
    Shape oneImage = new Shape(1, s.get(0), s.get(1), s.get(2));
    Model imported = load(file);
    try {
      Block block = new EvalModeModule(imported.getBlock(), config.classes());
      block.freezeParameters(true);
      // an imported block arrives initialised: this records its input shape, its weights are loaded
      block.initialize(imported.getNDManager(), DataType.FLOAT32, oneImage);
      checkOutput(file, block, imported.getNDManager(), oneImage, config.classes());
      // closed with the runner's model; closing the imported model frees the native module
      owner.attachInternal("torchscript-" + UUID.randomUUID(), imported);
      return block;
    } catch (RuntimeException e) {
      imported.close();
      throw e;
    }
  }

  private static void checkAgainstDataset(Config config, ModelInput in) {
    List<Integer> actual = List.of(in.channels(), in.height(), in.width());
    if (!config.inputShape().equals(actual)) {
      throw new ConfigException("torchscript: input-shape " + config.inputShape() + " does not match the dataset's images "
          + actual + " [channels, height, width]; set input-shape: " + actual + " if the module takes them,"
          + " or use a dataset of shape " + config.inputShape());
    }
    if (config.classes() != in.classes()) {
      throw new ConfigException("torchscript: classes " + config.classes() + " does not match the dataset's "
          + in.classes() + " classes; a classifier for this dataset must return " + in.classes() + " logits");
    }
  }

  private static void checkReadable(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("torchscript: no TorchScript file at " + file.toAbsolutePath()
          + "; fix the model's weights: path (relative paths start at the suite's folder) or save the"
          + " module there with torch.jit.save(torch.jit.script(model), path)");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException("torchscript: cannot read " + file.toAbsolutePath() + "; check its permissions");
    }
  }

  /**
   * Loads the module. A direct file path makes DJL read exactly that file, whatever its name, and
   * put the module in eval mode. {@code trainParam} makes DJL load the weights as ordinary tensors:
   * by default it loads them as inference tensors, through which no input gradient can flow.
   */
  private static Model load(Path file) {
    Model model;
    try {
      model = Model.newInstance("torchscript:" + file.getFileName(), "PyTorch");
    } catch (IllegalArgumentException e) {
      throw new QrbenchException("torchscript needs DJL's PyTorch engine on the class path: " + e.getMessage(), e);
    }
    try {
      model.load(file, null, Map.of("trainParam", "true"));
      return model;
    } catch (IOException | MalformedModelException | EngineException e) {
      model.close();
      throw new ConfigException("torchscript: " + file.toAbsolutePath() + " is not a TorchScript module PyTorch "
          + "can load (" + e.getMessage() + "); save it with torch.jit.save(torch.jit.script(model), path)", e);
    }
  }

  /** Runs one blank image through the module, to catch one that takes or returns something else. */
  private static void checkOutput(Path file, Block block, NDManager parent, Shape oneImage, int classes) {
    try (NDManager probe = parent.newSubManager()) {
      NDArray x = probe.zeros(oneImage);
      NDArray out = block.forward(new ParameterStore(probe, false), new NDList(x), false).singletonOrThrow();
      if (!out.getShape().equals(new Shape(1, classes))) {
        throw new ConfigException("torchscript: " + file + " returns " + out.getShape() + " for one image of shape "
            + oneImage + ", expected (1, " + classes + ") logits; check classes and that the module returns logits");
      }
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) { // the engine's error for a wrong input, or a tuple instead of logits
      throw new ConfigException("torchscript: " + file + " fails on one image of shape " + oneImage + " ("
          + e.getMessage() + "); check input-shape against what the module takes", e);
    }
  }
}
