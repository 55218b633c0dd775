package io.qrbench.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.model.Batches;
import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.Layers;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelInput;
import io.qrbench.spi.PluginKind;
import io.qrbench.spi.Split;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.PluginConfigs;
import java.util.Optional;

/**
 * What the benchmarks share: the engine set up as {@code bin/qrbench} does, plugins found as the
 * CLI finds them, models built and quantized along the runner's own path, and test images.
 */
final class Harness {
  static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);
  private static PluginRegistry registry;
  private static String datasetYaml;

  private Harness() {}

  /**
   * Offline, one inter-op thread, and {@code QRBENCH_THREADS} intra-op threads when set (as {@code
   * bin/qrbench} does): set before the engine starts, unless the command line did.
   */
  static void configureEngine() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    String threads = System.getenv("QRBENCH_THREADS");
    if (threads != null && !threads.isBlank()) {
      setIfAbsent("ai.djl.pytorch.num_threads", threads.trim());
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  static synchronized PluginRegistry registry() {
    if (registry == null) {
      configureEngine();
      registry = PluginRegistry.discover();
    }
    return registry;
  }

  /** A plugin from its suite syntax, e.g. {@code twn} or {@code {id: pgd, steps: 10}}. */
  static PluginConfig plugin(PluginKind kind, String yaml) {
    return PluginConfigs.parse(registry(), kind, yaml, "benchmark");
  }

  /**
   * A randomly initialised CIFAR ResNet, quantized, frozen for evaluation: built like the runner
   * builds a suite model (layers hooked to the quantizer's training transform when it has one,
   * which then runs in every forward pass, as in a real run).
   */
  static LoadedModel resnet(int depth, String quantizer) {
    PluginConfig q = plugin(PluginKind.QUANTIZER, quantizer);
    LoadedModel m = unquantized(depth, q);
    Invoke.quantize(q, m.quantizableLayers());
    m.cacheKernels(true); // as the runner does once a model's weights are final
    return m;
  }

  /**
   * The same model before its quantizer has run: full-precision kernels, the quantizer's hook in
   * place.
   */
  static LoadedModel unquantized(int depth, PluginConfig quantizer) {
    PluginConfig model = resnetConfig(depth);
    Engine.getInstance().setRandomSeed(1);
    Layers layers = Invoke.trainingHook(quantizer).map(Layers::withHook).orElseGet(Layers::plain);
    LoadedModel m =
        new LoadedModel(
            "resnet" + depth + "-" + quantizer.id(),
            CIFAR,
            layers,
            manager ->
                Invoke.build(model, new ModelContext(CIFAR, layers, manager, Optional.empty())));
    m.prepareHook(null, null);
    m.freeze(true);
    return m;
  }

  /** The CIFAR ResNet of this depth as a suite names it. */
  static PluginConfig resnetConfig(int depth) {
    return plugin(PluginKind.MODEL, "{id: resnet-cifar, depth: " + depth + "}");
  }

  /**
   * The dataset in suite syntax: CIFAR-10's test split when it is in the data cache, else the
   * synthetic stand-in, with a note on stderr saying so.
   */
  static synchronized String datasetYaml() {
    if (datasetYaml == null) {
      try {
        Invoke.open(plugin(PluginKind.DATASET, "{id: cifar10, download: false}"), Split.TEST);
        datasetYaml = "{id: cifar10, download: false}";
      } catch (RuntimeException e) {
        System.err.println(
            "qrbench benchmarks: CIFAR-10 is not in the data cache ($QRBENCH_DATA or ~/.cache/qrbench);"
                + " using the synthetic dataset instead. 'bin/qrbench data fetch cifar10' fetches it.");
        datasetYaml = "{id: synthetic, test-size: 2048}";
      }
    }
    return datasetYaml;
  }

  /** The test images, CIFAR-10 or synthetic (see {@link #datasetYaml()}). */
  static ImageDataset testImages() {
    return Invoke.open(plugin(PluginKind.DATASET, datasetYaml()), Split.TEST);
  }

  /** The training images, CIFAR-10 or synthetic (see {@link #datasetYaml()}). */
  static ImageDataset trainImages() {
    return Invoke.open(plugin(PluginKind.DATASET, datasetYaml()), Split.TRAIN);
  }

  /** The first {@code count} test images as (images, labels), cycling if there are fewer. */
  static NDArray[] batch(ImageDataset data, NDManager manager, int count) {
    int[] indices = new int[count];
    for (int i = 0; i < count; i++) {
      indices[i] = i % data.size();
    }
    return new Batches(data, count).load(manager, indices, 0, count);
  }
}
