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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Imports a classifier saved with {@code torch.jit.save}: a module that maps [0,1] NCHW float32
 * images to (N, classes) logits, with any normalisation inside. The suite's {@code weights:} key
 * names the {@code .pt} file; the module is loaded through DJL's API with the PyTorch engine,
 * always runs in eval mode with autograd available for attacks (see {@link EvalModeModule}), and
 * lives as long as the runner's model.
 */
public final class TorchScriptModel implements ModelProvider<TorchScriptModel.Config> {

  /**
   * What the module expects and returns; both are checked against the dataset.
   *
   * @param inputShape one image's shape, channels first: [channels, height, width]
   * @param classes the number of logits per image
   */
  public record Config(
      @JsonPropertyDescription(
              "one image's shape the module takes, [channels, height, width], e.g. [3, 32, 32]; required")
          @Bound(min = 1, max = 4096)
          List<Integer> inputShape,
      @JsonPropertyDescription("number of logits the module returns per image; required")
          @Bound(min = 2, max = 100_000)
          Integer classes) {
    public Config {
      if (inputShape == null) {
        throw new IllegalArgumentException(
            "input-shape is required: one image's shape, e.g. [3, 32, 32]");
      }
      if (inputShape.size() != 3 || inputShape.stream().anyMatch(d -> d == null || d < 1)) {
        throw new IllegalArgumentException(
            "input-shape must be three positive sizes [channels, height, width], was "
                + inputShape);
      }
      if (classes == null) {
        throw new IllegalArgumentException(
            "classes is required: the number of logits the module returns");
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
    Path file =
        context
            .weights()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "torchscript needs the TorchScript file: name it with the model's weights: key in the suite"));
    checkReadable(file);
    checkAgainstDataset(file, config, context.input());
    checkCrcs(file);
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

  private static void checkAgainstDataset(Path file, Config config, ModelInput in) {
    List<Integer> actual = List.of(in.channels(), in.height(), in.width());
    if (!config.inputShape().equals(actual)) {
      throw new ConfigException(
          "torchscript: "
              + file
              + ": input-shape "
              + config.inputShape()
              + " does not match the dataset's images "
              + actual
              + " [channels, height, width]\n    fix: set input-shape: "
              + actual
              + " if the module takes them, or use a dataset of shape "
              + config.inputShape());
    }
    if (config.classes() != in.classes()) {
      throw new ConfigException(
          "torchscript: "
              + file
              + ": classes "
              + config.classes()
              + " does not match the dataset's "
              + in.classes()
              + " classes\n    fix: use a module that returns "
              + in.classes()
              + " logits, one per class of the"
              + " dataset, and set classes: "
              + in.classes());
    }
  }

  private static void checkReadable(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "torchscript: no TorchScript file at "
              + file.toAbsolutePath()
              + "; fix the model's weights: path (relative paths start at the suite's folder) or save the"
              + " module there with torch.jit.save(torch.jit.script(model), path)");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException(
          "torchscript: cannot read " + file.toAbsolutePath() + "; check its permissions");
    }
  }

  /**
   * A TorchScript file is a zip whose entries carry CRC-32s, but PyTorch does not check them: a
   * flipped byte in the weights would load silently. A file Java cannot read as a zip is left to
   * PyTorch, whose error says why.
   */
  private static void checkCrcs(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      byte[] buf = new byte[1 << 16];
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        CRC32 crc = new CRC32();
        try (InputStream in = zip.getInputStream(e)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            crc.update(buf, 0, n);
          }
        }
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
          throw new ConfigException(
              "torchscript: "
                  + file.toAbsolutePath()
                  + " is damaged: its entry "
                  + e.getName()
                  + " fails its CRC-32 check\n    fix: copy the file again, or save it again with torch.jit.save");
        }
      }
    } catch (ZipException e) {
      // not a zip Java reads: PyTorch's load reports it
    } catch (IOException e) {
      throw new ConfigException(
          "torchscript: cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
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
      throw new QrbenchException(
          "torchscript needs DJL's PyTorch engine on the class path: " + e.getMessage(), e);
    }
    try {
      model.load(file, null, Map.of("trainParam", "true"));
      return model;
    } catch (IOException | MalformedModelException | EngineException e) {
      model.close();
      throw new ConfigException(
          "torchscript: "
              + file.toAbsolutePath()
              + " is not a TorchScript module PyTorch "
              + "can load ("
              + firstLine(e)
              + ")\n    fix: save the module with torch.jit.save(torch.jit.script(model), path)",
          e);
    }
  }

  /**
   * Images in the batch of zeros the module is tried on: more than one, to catch a module fixed to
   * one image.
   */
  static final int PROBE_BATCH = 2;

  /**
   * Runs a batch of blank images through the module, to catch one that takes or returns something
   * else: its output must be one float32 tensor of shape (N, classes).
   */
  private static void checkOutput(
      Path file, Block block, NDManager parent, Shape oneImage, int classes) {
    Shape batch = new Shape(PROBE_BATCH, oneImage.get(1), oneImage.get(2), oneImage.get(3));
    String tried = " for a batch of zeros of shape " + batch;
    try (NDManager probe = parent.newSubManager()) {
      NDList out =
          block.forward(new ParameterStore(probe, false), new NDList(probe.zeros(batch)), false);
      String fix =
          "\n    fix: make forward() return the logits alone, one float tensor of shape (N, classes),"
              + " and set classes: to their number";
      if (out.size() != 1) {
        throw new ConfigException(
            "torchscript: "
                + file
                + " returns "
                + out.size()
                + " tensors (a tuple?)"
                + tried
                + ", expected one tensor of logits of shape ("
                + PROBE_BATCH
                + ", "
                + classes
                + ")"
                + fix);
      }
      NDArray logits = out.head();
      if (!logits.getShape().equals(new Shape(PROBE_BATCH, classes))) {
        throw new ConfigException(
            "torchscript: "
                + file
                + " returns shape "
                + logits.getShape()
                + tried
                + ", expected ("
                + PROBE_BATCH
                + ", "
                + classes
                + ") logits"
                + fix);
      }
      if (logits.getDataType() != DataType.FLOAT32) {
        throw new ConfigException(
            "torchscript: "
                + file
                + " returns "
                + logits.getDataType()
                + " values"
                + tried
                + ", expected float32 logits"
                + fix);
      }
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) { // the engine's error for a wrong input, or one the script raised
      throw new ConfigException(
          "torchscript: "
              + file
              + " fails"
              + tried
              + ": "
              + scriptError(e)
              + "\n    fix: check input-shape against what the module takes, and that its forward() runs",
          e);
    }
  }

  /** The first line of the engine's message: PyTorch may append its C++ backtrace. */
  private static String firstLine(Exception e) {
    return e.getMessage() == null
        ? "no reason given"
        : e.getMessage().strip().lines().findFirst().orElse("");
  }

  /**
   * The engine's message without the TorchScript traceback: its last line names the error ({@code
   * builtins.RuntimeError: ...}), which is what the user can act on.
   */
  static String scriptError(RuntimeException e) {
    String msg = e.getMessage() == null ? "" : e.getMessage().strip();
    List<String> lines = msg.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String last = lines.isEmpty() ? "the engine gave no reason" : lines.get(lines.size() - 1);
    return last.startsWith("builtins.")
        ? "the module raised " + last.substring("builtins.".length())
        : last;
  }
}
