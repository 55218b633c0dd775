package io.qrbench.spi;

import ai.djl.ndarray.NDManager;
import io.qrbench.nn.Layers;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a model provider gets to build a model with.
 *
 * @param input the image shape and class count, from the dataset
 * @param layers the factory every convolution and dense layer must come from, so that a quantizer
 *     can reach its kernel
 * @param manager the manager that owns the model: native resources a provider creates (an imported
 *     module, say) are attached to it and freed with the model
 * @param weights the suite's {@code weights} file, for providers that read it themselves (see
 *     {@link ModelProvider#readsOwnWeights()}); empty otherwise
 * @param threads the intra-op threads the engine computes with, for a provider that runs its own
 *     runtime (ONNX Runtime, say) and should use as many, so that speeds compare (since SPI 1.1)
 */
public record ModelContext(
    ModelInput input, Layers layers, NDManager manager, Optional<Path> weights, int threads) {

  public ModelContext {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
  }

  /** A context whose threads are the processors available to the JVM (SPI 1.0's constructor). */
  public ModelContext(ModelInput input, Layers layers, NDManager manager, Optional<Path> weights) {
    this(input, layers, manager, weights, Runtime.getRuntime().availableProcessors());
  }
}
