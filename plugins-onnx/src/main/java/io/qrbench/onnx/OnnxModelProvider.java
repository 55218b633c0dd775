package io.qrbench.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
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
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Evaluates a classifier exported to ONNX (by {@code qrbench export} or any other exporter) on ONNX
 * Runtime, the way it would be deployed: float32 or int8 in QDQ form, with ONNX Runtime's graph
 * optimisations (which fuse QuantizeLinear/DequantizeLinear pairs around a convolution into an
 * integer kernel). The suite's {@code weights:} key names the {@code .onnx} file; its one input
 * takes [0,1] NCHW float32 images, its one output is (N, classes) logits.
 *
 * <p>ONNX Runtime's own Java API is used, not DJL's onnxruntime engine, for direct control of the
 * session: its threads (as many as PyTorch's, so that speeds compare), its optimisation level, and
 * profiling. The model gives no gradients: gradient attacks craft on a differentiable twin ({@code
 * source:}), black-box attacks run on it directly.
 */
public final class OnnxModelProvider implements ModelProvider<OnnxModelProvider.Config> {
  /** Images in the batch of zeros the graph is tried on: more than one, to catch a fixed batch. */
  static final int PROBE_BATCH = 2;

  /** The custom metadata key under which an exporter records multiply-accumulates per image. */
  public static final String MACS_KEY = "qrbench.macs";

  /** Operators that only a quantized graph holds: the ONNX int8 forms, QDQ and QOperator. */
  static final Set<String> INT8_OPS =
      Set.of(
          "QuantizeLinear",
          "DequantizeLinear",
          "QLinearConv",
          "QLinearMatMul",
          "ConvInteger",
          "MatMulInteger");

  /** ONNX Runtime's graph optimisation levels, from most to least. */
  public enum Optimization {
    /** Everything, layout changes included (ONNX Runtime's default). */
    ALL(OrtSession.SessionOptions.OptLevel.ALL_OPT),
    /**
     * Node fusions, among them the int8 QDQ fusions: the least a quantized graph runs fast with.
     */
    EXTENDED(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT),
    /** Constant folding and redundant-node removal only. */
    BASIC(OrtSession.SessionOptions.OptLevel.BASIC_OPT),
    /** The graph as written: QDQ pairs then run as float arithmetic. */
    NONE(OrtSession.SessionOptions.OptLevel.NO_OPT);

    final OrtSession.SessionOptions.OptLevel level;

    Optimization(OrtSession.SessionOptions.OptLevel level) {
      this.level = level;
    }
  }

  /**
   * @param classes the logits per image, checked against the graph's output and the dataset;
   *     optional
   * @param optimization ONNX Runtime's graph optimisation level; {@code all} by default
   */
  public record Config(
      @JsonPropertyDescription(
              "number of logits the graph returns per image; optional, checked against the file and the dataset")
          @Bound(min = 2, max = 100_000)
          Integer classes,
      @JsonPropertyDescription(
              "ONNX Runtime's graph optimisation: all (default), extended, basic or none; int8 QDQ graphs"
                  + " run as integer kernels only from extended up")
          Optimization optimization,
      @JsonPropertyDescription(
              "let ONNX Runtime's worker threads spin-wait for work between runs (default false: qrbench"
                  + " runs PyTorch in the same process, and spinning threads take its cores)")
          Boolean spinning) {
    public Config {
      spinning = spinning != null && spinning;
      if (classes != null && classes < 2) {
        throw new IllegalArgumentException("classes must be at least 2, was " + classes);
      }
      optimization = optimization == null ? Optimization.ALL : optimization;
    }

    /** The defaults for spinning: off. */
    public Config(Integer classes, Optimization optimization) {
      this(classes, optimization, null);
    }
  }

  @Override
  public String id() {
    return "onnx";
  }

  @Override
  public String description() {
    return "evaluates an ONNX file (float32 or int8 QDQ) on ONNX Runtime, named by the suite's weights: key";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public boolean readsOwnWeights() {
    return true;
  }

  /** ONNX Runtime computes logits only: gradient attacks need a {@code source:} twin. */
  @Override
  public boolean differentiable(Config config) {
    return false;
  }

  @Override
  public Block build(Config config, ModelContext context) {
    Path file =
        context
            .weights()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "onnx needs the ONNX file: name it with the model's weights: key in the suite"));
    NDManager owner = Objects.requireNonNull(context.manager(), "the model's manager");
    byte[] bytes = read(file);
    OrtSession session = open(file, bytes, config, context.threads());
    OnnxBlock block = null;
    try {
      ModelInput in = context.input();
      checkInput(file, session, in);
      int classes = checkOutput(file, session, config, in);
      block = new OnnxBlock(session, classes, backend(file, bytes), macs(file, session));
      // closed with the runner's model: the session's native memory goes with it
      owner.attachInternal("onnx-" + UUID.randomUUID(), block);
      Shape oneImage = new Shape(1, in.channels(), in.height(), in.width());
      block.initialize(owner, DataType.FLOAT32, oneImage);
      probe(file, block, owner, oneImage, classes);
      return block;
    } catch (RuntimeException e) {
      if (block != null) {
        block.close(); // idempotent: the manager's close later does nothing
      } else {
        closeQuietly(session);
      }
      throw e;
    }
  }

  private static byte[] read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "onnx: no ONNX file at "
              + file.toAbsolutePath()
              + "\n    fix: correct the model's weights: path (relative paths start at the suite's folder),"
              + " or export the model there with qrbench export");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(
          "onnx: cannot read "
              + file.toAbsolutePath()
              + ": "
              + e.getMessage()
              + "\n    fix: check its permissions",
          e);
    }
  }

  /**
   * Opens the session: intra-op threads as the engine's, one inter-op thread and sequential
   * execution (a classifier is a chain; parallel branches would only add threads beyond the count
   * compared).
   */
  private static OrtSession open(Path file, byte[] bytes, Config config, int threads) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setOptimizationLevel(config.optimization().level);
      // ONNX Runtime's workers spin after each run by default: half the batch-1 latency, but they
      // take cores from whatever runs next in the process, which widened the spread of every
      // PyTorch / ONNX Runtime ratio measured (README, "Deploying a quantized model")
      o.addConfigEntry("session.intra_op.allow_spinning", config.spinning() ? "1" : "0");
      return env.createSession(bytes, o);
    } catch (OrtException e) {
      throw new ConfigException(
          "onnx: "
              + file.toAbsolutePath()
              + " is not an ONNX model ONNX Runtime can load ("
              + firstLine(e)
              + ")\n    fix: export the model again (qrbench export), or check that the file was copied whole",
          e);
    }
  }

  private static void checkInput(Path file, OrtSession session, ModelInput in) {
    String expected = "one float32 input of shape (N, " + shape(in) + ")";
    Map<String, NodeInfo> inputs = info(file, session, true);
    if (inputs.size() != 1) {
      throw new ConfigException(
          "onnx: "
              + file
              + " has "
              + inputs.size()
              + " inputs "
              + inputs.keySet()
              + ", expected "
              + expected
              + "\n    fix: export a graph that takes the images alone");
    }
    NodeInfo i = inputs.values().iterator().next();
    if (!(i.getInfo() instanceof TensorInfo t)
        || t.type != OnnxJavaType.FLOAT
        || t.getShape().length != 4) {
      throw new ConfigException(
          "onnx: "
              + file
              + ": input '"
              + i.getName()
              + "' is "
              + i.getInfo()
              + ", expected "
              + expected
              + " (4-D float, channels first)\n    fix: export the model with a float32 NCHW image input");
    }
    long[] s = t.getShape();
    long[] want = {in.channels(), in.height(), in.width()};
    for (int d = 1; d < 4; d++) {
      if (s[d] > 0 && s[d] != want[d - 1]) {
        throw new ConfigException(
            "onnx: "
                + file
                + ": input '"
                + i.getName()
                + "' takes images of shape "
                + Arrays.toString(Arrays.copyOfRange(s, 1, 4))
                + " [channels, height, width], the dataset's are "
                + Arrays.toString(want)
                + "\n    fix: use a dataset of that shape, or export the model for the dataset's images");
      }
    }
  }

  /** The logits per image: the output's fixed size, else the config's, else the dataset's. */
  private static int checkOutput(Path file, OrtSession session, Config config, ModelInput in) {
    Map<String, NodeInfo> outputs = info(file, session, false);
    NodeInfo o = outputs.isEmpty() ? null : outputs.values().iterator().next();
    if (outputs.size() != 1
        || !(o.getInfo() instanceof TensorInfo t)
        || t.type != OnnxJavaType.FLOAT
        || t.getShape().length != 2) {
      throw new ConfigException(
          "onnx: "
              + file
              + " returns "
              + (outputs.size() == 1
                  ? o.getInfo()
                  : outputs.size() + " outputs " + outputs.keySet())
              + ", expected one 2-D float32 output of shape (N, classes)"
              + "\n    fix: export the logits alone (no softmax, no extra outputs), flattened to (N, classes)");
    }
    long fixed = t.getShape()[1];
    if (config.classes() != null && fixed > 0 && fixed != config.classes()) {
      throw new ConfigException(
          "onnx: "
              + file
              + " returns "
              + fixed
              + " logits per image, the suite says classes: "
              + config.classes()
              + "\n    fix: set classes: "
              + fixed
              + " or use the file exported for "
              + config.classes()
              + " classes");
    }
    int classes =
        fixed > 0
            ? Math.toIntExact(fixed)
            : config.classes() != null ? config.classes() : in.classes();
    if (classes != in.classes()) {
      throw new ConfigException(
          "onnx: "
              + file
              + " returns "
              + classes
              + " logits per image, the dataset has "
              + in.classes()
              + " classes\n    fix: use a model exported for this dataset's "
              + in.classes()
              + " classes");
    }
    return classes;
  }

  private static Map<String, NodeInfo> info(Path file, OrtSession session, boolean inputs) {
    try {
      return inputs ? session.getInputInfo() : session.getOutputInfo();
    } catch (OrtException e) {
      throw new QrbenchException(
          "onnx: " + file + ": ONNX Runtime cannot describe the graph: " + firstLine(e), e);
    }
  }

  /** int8 when the graph holds any quantized operator, else fp32. */
  static String backend(Path file, byte[] bytes) {
    Set<String> ops;
    try {
      ops = OnnxOps.of(bytes);
    } catch (IllegalArgumentException e) { // ONNX Runtime read it: only a reader bug gets here
      throw new ConfigException(
          "onnx: " + file + ": cannot list the graph's operators: " + e.getMessage(), e);
    }
    return ops.stream().anyMatch(INT8_OPS::contains) ? "onnxruntime int8" : "onnxruntime fp32";
  }

  private static OptionalLong macs(Path file, OrtSession session) {
    String v;
    try {
      v = session.getMetadata().getCustomMetadata().get(MACS_KEY);
    } catch (OrtException e) {
      return OptionalLong.empty();
    }
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      long macs = Long.parseLong(v.strip());
      if (macs < 0) {
        throw new NumberFormatException("negative");
      }
      return OptionalLong.of(macs);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "onnx: "
              + file
              + ": metadata "
              + MACS_KEY
              + " is '"
              + v
              + "', expected a count of multiply-accumulates per image\n    fix: export the model again");
    }
  }

  /** Runs a batch of zeros, to catch a graph whose symbolic sizes do not fit a batch of images. */
  private static void probe(Path file, Block block, NDManager owner, Shape oneImage, int classes) {
    Shape batch = new Shape(PROBE_BATCH, oneImage.get(1), oneImage.get(2), oneImage.get(3));
    try (NDManager m = owner.newSubManager()) {
      NDArray z =
          block.forward(new ParameterStore(m, false), new NDList(m.zeros(batch)), false).head();
      if (!z.getShape().equals(new Shape(PROBE_BATCH, classes))) {
        throw new ConfigException(
            "onnx: " + file + " returns shape " + z.getShape() + " for a batch of shape " + batch);
      }
    } catch (ConfigException e) {
      throw e;
    } catch (QrbenchException e) {
      throw new ConfigException(
          "onnx: "
              + file
              + " fails for a batch of zeros of shape "
              + batch
              + ": "
              + firstLine(e)
              + "\n    fix: export the graph with a symbolic batch size (N) and the dataset's image shape",
          e);
    }
  }

  private static String shape(ModelInput in) {
    return in.channels() + ", " + in.height() + ", " + in.width();
  }

  private static String firstLine(Exception e) {
    return e.getMessage() == null
        ? "no reason given"
        : e.getMessage().strip().lines().findFirst().orElse("");
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException | RuntimeException e) {
      // already failing with a clearer error
    }
  }
}
