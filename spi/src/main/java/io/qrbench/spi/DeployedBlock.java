package io.qrbench.spi;

import java.util.OptionalLong;

/**
 * A block that runs a deployed model on a runtime other than DJL's engine (ONNX Runtime, say): it
 * computes logits but no gradients, so gradient attacks must craft their images on a differentiable
 * twin ({@code source:}). The runner records its backend beside speeds and refuses to ask it for
 * gradients. Since SPI 1.1.
 */
public interface DeployedBlock {

  /**
   * The runtime and the arithmetic it runs in, for reports: e.g. {@code onnxruntime int8} or {@code
   * onnxruntime fp32}.
   */
  String backend();

  /**
   * Multiply-accumulates per image, when the deployed file says (qrbench cannot count the layers of
   * a graph it did not build); empty otherwise.
   */
  OptionalLong macsPerImage();
}
