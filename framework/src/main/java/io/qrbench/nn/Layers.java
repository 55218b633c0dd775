package io.qrbench.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one way models make their convolution and dense layers, so that a quantizer can reach every
 * kernel: with a {@link LayerHook} that supplies a transform, a layer computes with the transformed
 * kernel (straight-through in training, hard in evaluation); without, it is DJL's plain layer.
 * Records every layer it made, for reports.
 */
public final class Layers {
  private final LayerHook hook;
  private final List<LayerInfo> made = new ArrayList<>();

  private Layers(LayerHook hook) {
    this.hook = hook;
  }

  /** Plain full-precision layers. */
  public static Layers plain() {
    return new Layers(LayerHook.none());
  }

  /** Layers whose kernels go through {@code hook}'s transforms. */
  public static Layers withHook(LayerHook hook) {
    return new Layers(hook);
  }

  /**
   * A 2-D convolution.
   *
   * @param name the layer's name in its model
   * @param role where it sits
   * @param filters output channels
   * @param kernel square kernel size
   * @param stride stride in both directions
   * @param padding zero padding on each side
   * @param bias whether the layer has a bias
   */
  public Block conv2d(String name, LayerInfo.Role role, int filters, int kernel, int stride, int padding, boolean bias) {
    LayerInfo info = new LayerInfo(name, LayerInfo.Kind.CONV, role);
    made.add(info);
    Conv2d.Builder b = Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optBias(bias);
    return hook.transformFor(info).<Block>map(t -> new TransformedConv2d(b, t)).orElseGet(b::build);
  }

  /**
   * A dense layer over the last axis.
   *
   * @param name the layer's name in its model
   * @param role where it sits
   * @param units outputs
   * @param bias whether the layer has a bias
   */
  public Block linear(String name, LayerInfo.Role role, int units, boolean bias) {
    LayerInfo info = new LayerInfo(name, LayerInfo.Kind.DENSE, role);
    made.add(info);
    Linear.Builder b = Linear.builder().setUnits(units).optBias(bias);
    return hook.transformFor(info).<Block>map(t -> new TransformedLinear(b, t)).orElseGet(b::build);
  }

  /** Every layer made so far, in order. */
  public List<LayerInfo> made() {
    return Collections.unmodifiableList(made);
  }
}
