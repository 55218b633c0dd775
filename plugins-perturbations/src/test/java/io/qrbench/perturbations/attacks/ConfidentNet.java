package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.qrbench.nn.LayerInfo;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelProvider;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A test model built to be sure of itself on {@code TinyDataset} (class c has a brighter channel
 * c): a 3x3 convolution whose first filters average channel c, ReLU, global average pooling and a
 * dense layer reading filter c for class c, its logits multiplied by {@code scale}. At the default
 * 1000 the logit margins are in the hundreds, so the float32 softmax is exactly one-hot. Its
 * weights are fixed (seeded by shape, not by the engine), and it ignores the outer ring of pixels,
 * whose gradient is then exactly zero. Its 6 filters are a count whose input gradient PyTorch's
 * oneDNN kernels got wrong on an AVX-512 machine, differently at each thread count, unless the
 * framework pads the channels. It initialises itself, so a suite names a placeholder weights file.
 */
public final class ConfidentNet implements ModelProvider<ConfidentNet.Config> {

  /**
   * @param scale what the logits are multiplied by
   */
  public record Config(Double scale) {
    public Config {
      scale = scale == null ? 1000.0 : scale;
    }
  }

  @Override
  public String id() {
    return "confident-net";
  }

  @Override
  public String description() {
    return "test model: fixed weights, logits scaled to saturate the softmax";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public boolean readsOwnWeights() {
    return true;
  }

  @Override
  public Block build(Config config, ModelContext context) {
    float scale = config.scale().floatValue();
    int h = context.input().height();
    int w = context.input().width();
    SequentialBlock b =
        new SequentialBlock()
            .add(LambdaBlock.singleton(x -> x.mul(innerMask(x.getManager(), x.getShape()))))
            .add(context.layers().conv2d("conv", LayerInfo.Role.INPUT, 6, 3, 1, 1, true))
            .add(Activation.reluBlock())
            .add(Pool.globalAvgPool2dBlock())
            .add(
                context
                    .layers()
                    .linear("dense", LayerInfo.Role.OUTPUT, context.input().classes(), true))
            .add(LambdaBlock.singleton(z -> z.mul(scale)));
    b.setInitializer(ConfidentNet::weights, p -> true);
    b.initialize(
        context.manager(), DataType.FLOAT32, new Shape(1, context.input().channels(), h, w));
    return b;
  }

  /** 1 inside, 0 on the outer ring of pixels. */
  private static NDArray innerMask(NDManager manager, Shape shape) {
    int h = (int) shape.get(2);
    int w = (int) shape.get(3);
    float[] m = new float[h * w];
    for (int i = 1; i < h - 1; i++) {
      Arrays.fill(m, i * w + 1, i * w + w - 1, 1f);
    }
    return manager.create(m, new Shape(1, 1, h, w));
  }

  /**
   * Fixed weights by shape: filters 0-2 average their own channel, class c reads filter c; plus
   * seeded noise.
   */
  private static NDArray weights(NDManager manager, Shape shape, DataType type) {
    SplittableRandom r = new SplittableRandom(Arrays.hashCode(shape.getShape()));
    float[] v = new float[Math.toIntExact(shape.size())];
    if (shape.dimension() == 4) { // conv (6, 3, 3, 3)
      for (int o = 0; o < shape.get(0); o++) {
        for (int i = 0; i < shape.get(1); i++) {
          for (int k = 0; k < 9; k++) {
            v[(o * (int) shape.get(1) + i) * 9 + k] =
                (o == i ? 1 / 9f : 0f) + (float) (0.05 * r.nextGaussian());
          }
        }
      }
    } else if (shape.dimension() == 2) { // dense (classes, 6)
      for (int c = 0; c < shape.get(0); c++) {
        for (int i = 0; i < shape.get(1); i++) {
          v[c * (int) shape.get(1) + i] = (c == i ? 1f : 0f) + (float) (0.1 * r.nextGaussian());
        }
      }
    } else { // biases
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (0.02 * r.nextGaussian());
      }
    }
    return manager.create(v, shape).toType(type, false);
  }
}
