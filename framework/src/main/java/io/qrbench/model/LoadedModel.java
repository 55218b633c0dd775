package io.qrbench.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelUnderTest;

/**
 * A model built and initialised in its own DJL {@link Model}, evaluated in inference mode. Its
 * parameters are frozen while it is under test, so an attack's backward pass reaches the input
 * only; training unfreezes them.
 */
public final class LoadedModel implements ModelUnderTest, AutoCloseable {
  private final String name;
  private final Model model;
  private final ModelInput input;
  private final ParameterStore store;
  private final io.qrbench.nn.Layers layers;
  private final java.util.Map<String, Long> macs;

  /** Another computation of the block's forward pass (BatchNorm folded), or null for the block. */
  private java.util.function.UnaryOperator<NDArray> forward;

  /**
   * Builds a model: {@code builder} gets the model's manager and returns its block, which is
   * initialised here unless it already is (an imported model arrives ready).
   */
  public LoadedModel(
      String name, ModelInput input, java.util.function.Function<NDManager, Block> builder) {
    this(name, input, io.qrbench.nn.Layers.plain(), builder);
  }

  /**
   * Builds a model whose layers came from {@code layers} (so that a quantizer can find them and
   * their training hook): {@code builder} gets the model's manager and returns its block.
   */
  public LoadedModel(
      String name,
      ModelInput input,
      io.qrbench.nn.Layers layers,
      java.util.function.Function<NDManager, Block> builder) {
    this.name = name;
    this.input = input;
    this.layers = layers;
    this.model = Model.newInstance(name);
    try {
      Block block = builder.apply(model.getNDManager());
      model.setBlock(block);
      if (!block.isInitialized()) {
        block.initialize(
            model.getNDManager(),
            DataType.FLOAT32,
            new Shape(1, input.channels(), input.height(), input.width()));
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    this.store = new ParameterStore(model.getNDManager(), false);
    this.macs = countMacs(layers);
  }

  /**
   * Counted now, while each layer's input shape is the one its initialisation on one image gave:
   * loading weights later replaces a dense layer's recorded shape with one without the batch axis.
   * Null when a layer cannot say (it was initialised some other way).
   */
  private static java.util.Map<String, Long> countMacs(io.qrbench.nn.Layers layers) {
    try {
      java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
      java.util.List<Long> perLayer = layers.macsPerImage();
      for (int i = 0; i < perLayer.size(); i++) {
        out.put(layers.made().get(i).name(), perLayer.get(i));
      }
      return java.util.Collections.unmodifiableMap(out);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The model's convolution and dense layers with their kernels: those made through its {@link
   * io.qrbench.nn.Layers}, or for an imported model every kernel found in the block.
   */
  public java.util.List<io.qrbench.nn.QuantizableLayer> quantizableLayers() {
    return layers.made().isEmpty()
        ? io.qrbench.nn.WeightTensors.asLayers(block())
        : layers.quantizable();
  }

  /**
   * Multiply-accumulates per image of each convolution and dense layer, keyed by layer name in
   * model order; empty for an imported model, whose layers qrbench did not make.
   *
   * @throws IllegalStateException when they could not be counted
   */
  public java.util.Map<String, Long> macsPerImage() {
    if (block() instanceof io.qrbench.spi.DeployedBlock d) {
      // a deployed graph's layers are not qrbench's: its exporter may have recorded the total
      return d.macsPerImage().isPresent()
          ? java.util.Map.of(name, d.macsPerImage().getAsLong())
          : java.util.Map.of();
    }
    if (macs == null) {
      throw new IllegalStateException(
          "the layers' shapes were unknown when " + name + " was built");
    }
    return macs;
  }

  /**
   * Declares the weights final (on: quantized kernels are computed once and kept) or changeable
   * again (off). The runner turns it on when a model is ready for its cases and off before any
   * training.
   */
  public void cacheKernels(boolean on) {
    if (!on) {
      closeForward(); // a folded network holds the kernels as they were
    }
    layers.cacheKernels(on);
  }

  /** The layers' training hook (full precision when the model was built without one). */
  public io.qrbench.nn.LayerHook hook() {
    return layers.hook();
  }

  /**
   * Lets the training hook set up its own state from the kernels now in place, then restores that
   * state from a weights file or checkpoint when one holds it.
   *
   * @param saved the quantizer state read with the weights, or null
   * @param source where it came from, for messages
   */
  public void prepareHook(ai.djl.ndarray.NDList saved, java.nio.file.Path source) {
    layers.hook().prepare(quantizableLayers(), manager());
    if (saved != null && !layers.hook().parameters().isEmpty()) {
      io.qrbench.weights.WeightsFile.restore(layers.hook().parameters(), saved, source);
    }
  }

  /** A model from a block that needs no manager to build. */
  public LoadedModel(String name, Block block, ModelInput input) {
    this(name, input, manager -> block);
  }

  /** The DJL model that owns the block and its manager. */
  public Model model() {
    return model;
  }

  /** The network. */
  public Block block() {
    return model.getBlock();
  }

  /** The model's manager: give each batch a sub-manager of it. */
  public NDManager manager() {
    return model.getNDManager();
  }

  /**
   * Freezes parameters for evaluation; training unfreezes the trainable ones (BatchNorm's running
   * statistics are never trainable).
   */
  public void freeze(boolean freeze) {
    if (!freeze) {
      layers.cacheKernels(false); // weights are about to change
    }
    block().freezeParameters(freeze, LoadedModel::trainable);
    layers
        .hook()
        .parameters()
        .forEach(p -> p.freeze(freeze)); // TTQ's scales must not learn from attacks
  }

  /** True for parameters training updates: all but BatchNorm's running statistics. */
  public static boolean trainable(Parameter p) {
    return !p.getType().equals(Parameter.Type.RUNNING_MEAN)
        && !p.getType().equals(Parameter.Type.RUNNING_VAR);
  }

  /** Trainable parameters: everything but BatchNorm's running statistics. */
  public long parameterCount() {
    long n = 0;
    for (Pair<String, Parameter> p : block().getParameters()) {
      if (trainable(p.getValue())) {
        n += p.getValue().getArray().size();
      }
    }
    return n;
  }

  /**
   * Where the model runs, for reports beside its speed: a deployed block's own backend ({@code
   * onnxruntime int8}), else DJL's engine, in float32 whatever the quantizer (qrbench simulates
   * quantized arithmetic with float kernels).
   */
  public String backend() {
    if (block() instanceof io.qrbench.spi.DeployedBlock d) {
      return d.backend();
    }
    return forward == null ? "pytorch fp32" : "pytorch fp32, BatchNorm folded";
  }

  /**
   * Computes every forward pass, for evaluation and attacks alike, with {@code f} instead of the
   * block (a suite model's {@code fold-batchnorm}: {@link io.qrbench.export.FoldedForward}), or
   * with the block again when null. {@code f} must compute the block's function of its weights as
   * they are now: the caller drops it before the weights change. The model closes it.
   */
  public void computeForwardWith(java.util.function.UnaryOperator<NDArray> f) {
    closeForward();
    forward = f;
  }

  /** True while {@link #computeForwardWith} replaces the block's forward pass. */
  public boolean forwardReplaced() {
    return forward != null;
  }

  private NDArray forwardPass(NDArray images) {
    return forward != null
        ? forward.apply(images)
        : block().forward(store, new NDList(images), false).singletonOrThrow();
  }

  private void closeForward() {
    if (forward instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    forward = null;
  }

  /** Refuses gradients from a deployed block, which has none. */
  private void checkDifferentiable() {
    if (block() instanceof io.qrbench.spi.DeployedBlock d) {
      String runtime = d.backend().split(" ")[0];
      throw new io.qrbench.QrbenchException(
          "model '"
              + name
              + "' runs on "
              + runtime
              + ", which gives no gradients: craft the images on a differentiable twin in the same"
              + " suite with `source: <model>`, or use a black-box attack (square)");
    }
  }

  /** The model's input shape and classes. */
  public ModelInput input() {
    return input;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int classes() {
    return input.classes();
  }

  /**
   * The first {@link io.qrbench.nn.Normalise} met walking the block depth-first, in order (a CIFAR
   * ResNet's stem): the standardisation every input goes through before anything else.
   */
  @Override
  public java.util.Optional<Standardisation> standardisation() {
    return firstNormalise(block()).map(n -> new Standardisation(n.mean(), n.std()));
  }

  private static java.util.Optional<io.qrbench.nn.Normalise> firstNormalise(Block b) {
    if (b instanceof io.qrbench.nn.Normalise n) {
      return java.util.Optional.of(n);
    }
    if (b == null) {
      return java.util.Optional.empty();
    }
    for (Block child : b.getChildren().values()) {
      java.util.Optional<io.qrbench.nn.Normalise> n = firstNormalise(child);
      if (n.isPresent()) {
        return n;
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public NDArray logits(NDArray images) {
    // a forward pass makes ~100 intermediate arrays (400 MB for ResNet-20 at batch 128); free them
    // now rather than with the batch, so that attacks running many passes per batch stay flat
    try (NDScope scope = new NDScope()) {
      NDArray out = forwardPass(images);
      NDScope.unregister(out);
      return out;
    }
  }

  /**
   * One forward and one backward pass. The loss terms come from the logits in double precision
   * ({@link LogOdds}), and the backward pass carries the direction q - onehot(y), whose entries
   * reach -1 however confident the model is, instead of the float32 softmax gradient, which is
   * exactly zero (or denormal, its sign then set by the summation order) for confident images.
   */
  @Override
  public LossGradient lossGradient(NDArray images, NDArray labels) {
    checkDifferentiable();
    int[] y = labels.toType(DataType.INT32, false).toIntArray();
    LogOdds[] terms = new LogOdds[1];
    ObjectiveGradient g =
        objectiveGradient(
            images,
            (z, classes, dz) -> {
              terms[0] = LogOdds.of(z, y, classes);
              System.arraycopy(terms[0].logitDirection(), 0, dz, 0, dz.length);
              return terms[0].logOdds();
            });
    float[] loss = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      loss[i] = (float) terms[0].loss()[i];
    }
    NDManager m = images.getManager();
    return new LossGradient(m.create(loss), g.logits(), m.create(terms[0].logOdds()), g.gradient());
  }

  @Override
  public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
    checkDifferentiable();
    try (NDScope scope = new NDScope();
        GradientCollector gc = images.getManager().getEngine().newGradientCollector()) {
      NDArray x = images.duplicate();
      x.setRequiresGradient(true);
      NDArray logits = forwardPass(x);
      float[] z = logits.stopGradient().toType(DataType.FLOAT32, false).toFloatArray();
      int classes = input.classes();
      float[] dz = new float[z.length];
      double[] values = objective.evaluate(z, classes, dz);
      int n = Math.toIntExact(logits.getShape().get(0));
      if (values.length != n) {
        throw new IllegalStateException(
            "the objective returned " + values.length + " values for " + n + " images");
      }
      // dz comes from Java data: it must outlive the backward pass, which reads it (it does: the
      // scope holds it)
      NDArray w =
          images.getManager().create(dz, new Shape(n, classes)).toType(logits.getDataType(), false);
      gc.backward(logits.mul(w).sum());
      ObjectiveGradient out =
          new ObjectiveGradient(logits.stopGradient(), values, x.getGradient().duplicate());
      NDScope.unregister(out.logits(), out.gradient());
      return out;
    }
  }

  @Override
  public void close() {
    closeForward();
    model.close();
  }
}
