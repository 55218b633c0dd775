package io.qrbench.nn;

/**
 * What a quantizer knows about a layer when it decides how to treat it.
 *
 * @param name the layer's name within its model, e.g. {@code stage2.block1.conv1}
 * @param kind convolution or dense
 * @param role where it sits: the first layer that sees the image, the classifier, or between
 */
public record LayerInfo(String name, Kind kind, Role role) {

  /** The two kinds of layer with a weight kernel. */
  public enum Kind {
    CONV,
    DENSE
  }

  /**
   * Where a layer sits; common practice keeps {@link #INPUT} and {@link #OUTPUT} in full precision.
   */
  public enum Role {
    /** The first layer, fed the image. */
    INPUT,
    /** Any layer between the first and the last. */
    HIDDEN,
    /** The last layer, producing the logits. */
    OUTPUT
  }
}
