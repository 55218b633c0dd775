package io.qrbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.spi.Bound;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelProvider;

/**
 * A small convolutional classifier that trains in seconds on CPU: two conv-BN-ReLU-pool stages,
 * global average pooling and a dense layer. Input is [0,1] NCHW; centring happens inside.
 */
public final class SmallCnn implements ModelProvider<SmallCnn.Config> {

  /**
   * The network's size.
   *
   * @param width channels of the first stage (the second has twice as many)
   */
  public record Config(
      @JsonPropertyDescription("channels of the first stage; the second has twice as many")
          @Bound(
              min = 1,
              max = 1024,
              why = "16 is the default; 1024 channels is a large model already")
          Integer width) {
    public Config {
      width = width == null ? 16 : width;
      if (width < 1 || width > 1024) {
        throw new IllegalArgumentException("width must be in 1..1024, was " + width);
      }
    }
  }

  @Override
  public String id() {
    return "small-cnn";
  }

  @Override
  public String description() {
    return "small 2-stage CNN (conv-BN-ReLU-pool x2, global pool, dense) that trains in seconds";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Block build(Config config, ModelContext context) {
    int w = config.width();
    Layers layers = context.layers();
    return new SequentialBlock()
        .add(
            new LambdaBlock(
                x -> new ai.djl.ndarray.NDList(centre(x.singletonOrThrow())), "normalise"))
        .add(stage(layers.conv2d("stage1.conv", LayerInfo.Role.INPUT, w, 3, 1, 1, false)))
        .add(stage(layers.conv2d("stage2.conv", LayerInfo.Role.HIDDEN, 2 * w, 3, 1, 1, false)))
        .add(Pool.globalAvgPool2dBlock())
        .add(layers.linear("classifier", LayerInfo.Role.OUTPUT, context.input().classes(), true));
  }

  /**
   * (x - 0.5) * 4, the 4 made by the engine: {@code mul(4f)} would read it from a direct buffer
   * that is freed once {@code mul} returns, yet backward reads it when x needs a gradient (an
   * attack's).
   */
  private static NDArray centre(NDArray x) {
    return x.sub(0.5f).mul(x.getManager().full(new Shape(), 4f, x.getDataType()));
  }

  private static Block stage(Block conv) {
    return new SequentialBlock()
        .add(conv)
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
  }
}
