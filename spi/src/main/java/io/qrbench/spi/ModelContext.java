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
 */
public record ModelContext(
    ModelInput input, Layers layers, NDManager manager, Optional<Path> weights) {}
