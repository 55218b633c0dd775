package io.qrbench.nn;

import ai.djl.nn.Parameter;
import java.util.Optional;

/**
 * A layer whose kernel a quantizer may change.
 *
 * @param info the layer's name, kind and role in its model
 * @param weight the kernel, shape (out, in, ...) with output channels first
 * @param transform the transform the layer computes with when the model was built with the
 *     quantizer's training hook (quantization-aware), else empty
 */
public record QuantizableLayer(
    LayerInfo info, Parameter weight, Optional<WeightTransform> transform) {}
