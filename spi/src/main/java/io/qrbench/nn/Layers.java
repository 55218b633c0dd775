package io.qrbench.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The one way models make their convolution and dense layers, so that a quantizer can reach every
 * kernel: with a {@link LayerHook} that supplies a transform, a layer computes with the transformed
 * kernel (straight-through in training, hard in evaluation); without, it is DJL's plain layer.
 * Convolutions pad channel counts that oneDNN mishandles ({@link ChannelTails}). Records every
 * layer it made, for reports.
 */
public final class Layers {
  private final LayerHook hook;
  private final List<LayerInfo> made = new ArrayList<>();
  private final List<Block> blocks = new ArrayList<>();
  private final List<Optional<WeightTransform>> transforms = new ArrayList<>();

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
  public Block conv2d(
      String name,
      LayerInfo.Role role,
      int filters,
      int kernel,
      int stride,
      int padding,
      boolean bias) {
    LayerInfo info = new LayerInfo(name, LayerInfo.Kind.CONV, role);
    Conv2d.Builder b =
        Conv2d.builder()
            .setFilters(filters)
            .setKernelShape(new Shape(kernel, kernel))
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(padding, padding))
            .optBias(bias);
    Optional<WeightTransform> t = hook.transformFor(info);
    return record(
        info,
        t,
        t.<Block>map(x -> new TransformedConv2d(b, x)).orElseGet(() -> new ChannelTails.Conv2d(b)));
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
    Linear.Builder b = Linear.builder().setUnits(units).optBias(bias);
    Optional<WeightTransform> t = hook.transformFor(info);
    return record(info, t, t.<Block>map(x -> new TransformedLinear(b, x)).orElseGet(b::build));
  }

  private Block record(LayerInfo info, Optional<WeightTransform> transform, Block block) {
    made.add(info);
    transforms.add(transform);
    blocks.add(block);
    return block;
  }

  /**
   * Lets transformed layers keep their evaluation kernels from one forward pass to the next (on),
   * or makes them recompute every pass (off, the default: while weights can still change). Either
   * way, kernels kept so far are dropped.
   */
  public void cacheKernels(boolean on) {
    for (Block b : blocks) {
      if (b instanceof TransformedConv2d c) {
        c.cache.enable(on);
      } else if (b instanceof TransformedLinear l) {
        l.cache.enable(on);
      }
    }
  }

  /** The hook these layers were made with. */
  public LayerHook hook() {
    return hook;
  }

  /**
   * Every layer made, with its kernel, once the model is initialised.
   *
   * @throws IllegalStateException when a layer is not initialised yet
   */
  public List<QuantizableLayer> quantizable() {
    List<QuantizableLayer> out = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      Parameter w = blocks.get(i).getParameters().get("weight");
      if (w == null || !w.isInitialized()) {
        throw new IllegalStateException("layer " + made.get(i).name() + " is not initialised");
      }
      out.add(new QuantizableLayer(made.get(i), w, transforms.get(i)));
    }
    return out;
  }

  /**
   * Multiply-accumulates of each layer made, in order, for one image: output elements times the
   * inputs each one sums over (in-channels / groups x kernel area for a convolution, in-features
   * for a dense layer), which is the kernel's size over its output channels. The output shape comes
   * from DJL's {@link Block#getOutputShapes} on the input shape each layer was initialised with,
   * which the model's initialisation pass on one image set: call it before loading weights, which
   * replaces a dense layer's recorded input shape with one that lacks the batch axis.
   *
   * @throws IllegalStateException when a layer is not initialised yet
   */
  public List<Long> macsPerImage() {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      Block b = blocks.get(i);
      Parameter w = b.getParameters().get("weight");
      if (w == null || !w.isInitialized() || b.getInputShapes() == null) {
        throw new IllegalStateException("layer " + made.get(i).name() + " is not initialised");
      }
      Shape kernel = w.getArray().getShape();
      Shape output = b.getOutputShapes(b.getInputShapes())[0];
      long perImage = output.size() / output.get(0);
      out.add(perImage * (kernel.size() / kernel.get(0)));
    }
    return out;
  }

  /** Every layer made so far, in order. */
  public List<LayerInfo> made() {
    return Collections.unmodifiableList(made);
  }
}
