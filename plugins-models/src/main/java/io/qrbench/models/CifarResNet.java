package io.qrbench.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.XavierInitializer;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.ConfigException;
import io.qrbench.nn.LayerInfo.Role;
import io.qrbench.nn.Layers;
import io.qrbench.nn.Normalise;
import io.qrbench.nn.OptionAShortcut;
import io.qrbench.nn.ResidualBlock;
import io.qrbench.spi.Bound;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.ModelProvider;
import java.util.List;

/**
 * The CIFAR ResNet of He et al., "Deep Residual Learning for Image Recognition" (2016), section
 * 4.2, with option-A (parameter-free, zero-padding) shortcuts: a 3x3 convolution to 16 channels,
 * three stages of n basic blocks at 16, 32 and 64 channels (the last two start with stride 2),
 * global average pooling and a dense classifier; depth 6n+2. ResNet-20 with 10 classes has 269,722
 * trainable parameters. Input is [0,1] NCHW; per-channel standardisation happens inside.
 */
public final class CifarResNet implements ModelProvider<CifarResNet.Config> {

  static final List<Double> CIFAR10_MEAN = List.of(0.4914, 0.4822, 0.4465);
  static final List<Double> CIFAR10_STD = List.of(0.2470, 0.2435, 0.2616);
  private static final int[] STAGE_WIDTHS = {16, 32, 64};

  /**
   * The network's depth and input statistics.
   *
   * @param depth layers with weights, 6n+2: 20, 32, 44, 56 or 110 (any n from 1 to 200)
   * @param mean per-channel mean subtracted inside the model
   * @param std per-channel standard deviation the centred input is divided by
   */
  public record Config(
      @JsonPropertyDescription(
              "layers with weights, 6n+2: 20, 32, 44, 56 or 110 (any n in 1..200; 8 trains fastest)")
          @Bound(min = 8, max = 1202, why = "6n+2: the paper's 20, 32, 44, 56, 110 or 1202")
          Integer depth,
      @JsonPropertyDescription(
              "per-channel mean subtracted inside the model (default CIFAR-10's RGB means); "
                  + "one entry applies to every channel; a grey dataset with the default uses its first entry")
          @Bound(min = 0, max = 1, why = "pixel values are in [0,1]")
          List<Double> mean,
      @JsonPropertyDescription(
              "per-channel standard deviation the input is divided by (default CIFAR-10's); "
                  + "same rules as mean")
          @Bound(min = 0, minExclusive = true, max = 1, why = "pixel values are in [0,1]")
          List<Double> std) {
    public Config {
      depth = depth == null ? 20 : depth;
      if (depth < 8 || depth > 1202 || (depth - 2) % 6 != 0) {
        throw new IllegalArgumentException(
            "depth must be 6n+2 for n in 1..200: the paper's 20, 32, 44, 56, 110"
                + " or 1202, or any other such as 8, 14, 26; was "
                + depth);
      }
      mean = checked("mean", mean == null ? CIFAR10_MEAN : mean, false);
      std = checked("std", std == null ? CIFAR10_STD : std, true);
    }

    /** Blocks per stage. */
    int blocksPerStage() {
      return (depth - 2) / 6;
    }

    private static List<Double> checked(String key, List<Double> values, boolean positive) {
      if (values.isEmpty() || values.stream().anyMatch(java.util.Objects::isNull)) {
        throw new IllegalArgumentException(key + " needs one number per channel, was " + values);
      }
      for (double v : values) {
        if (!Double.isFinite(v) || (positive && v <= 0)) {
          throw new IllegalArgumentException(
              key + " entries must be finite" + (positive ? " and > 0" : "") + ", was " + values);
        }
      }
      return List.copyOf(values);
    }
  }

  @Override
  public String id() {
    return "resnet-cifar";
  }

  @Override
  public String description() {
    return "CIFAR ResNet of He et al. 2016 (depth 6n+2, option-A zero-padding shortcuts, 16/32/64 channels)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Block build(Config config, ModelContext context) {
    int channels = context.input().channels();
    Layers layers = context.layers();
    SequentialBlock net =
        new SequentialBlock()
            .add(
                new Normalise(
                    perChannel("mean", config.mean(), CIFAR10_MEAN, channels),
                    perChannel("std", config.std(), CIFAR10_STD, channels)))
            .add(layers.conv2d("stem.conv", Role.INPUT, STAGE_WIDTHS[0], 3, 1, 1, false))
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock());
    int in = STAGE_WIDTHS[0];
    for (int stage = 0; stage < STAGE_WIDTHS.length; stage++) {
      for (int b = 0; b < config.blocksPerStage(); b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        String name = "stage" + (stage + 1) + ".block" + (b + 1);
        net.add(basicBlock(layers, name, in, STAGE_WIDTHS[stage], stride));
        in = STAGE_WIDTHS[stage];
      }
    }
    net.add(Pool.globalAvgPool2dBlock())
        .add(layers.linear("classifier", Role.OUTPUT, context.input().classes(), true));
    // He et al. initialise "as in [13]": Kaiming normal, std = sqrt(2 / fan_in), for every conv and
    // dense kernel (the PyTorch reproduction does the same). XavierInitializer(GAUSSIAN, IN, 2) is
    // exactly that; DJL's WEIGHT default happens to agree today, set it so a DJL change cannot
    // silently alter training. Biases start at 0, BatchNorm at gamma 1, beta 0 (DJL's defaults).
    net.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
    return net;
  }

  /** conv3x3-BN-ReLU-conv3x3-BN plus the shortcut, then ReLU. */
  static Block basicBlock(Layers layers, String name, int in, int out, int stride) {
    Block main =
        new SequentialBlock()
            .add(layers.conv2d(name + ".conv1", Role.HIDDEN, out, 3, stride, 1, false))
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock())
            .add(layers.conv2d(name + ".conv2", Role.HIDDEN, out, 3, 1, 1, false))
            .add(BatchNorm.builder().build());
    Block shortcut =
        stride == 1 && in == out
            ? LambdaBlock.singleton(x -> x, "identity")
            : new OptionAShortcut(out);
    return new ResidualBlock(main, shortcut);
  }

  /**
   * One statistic per input channel: a list with one entry per channel is taken as is, a single
   * entry applies to every channel, and a grey image with the (RGB) CIFAR-10 default takes its
   * first entry, the red channel's. Anything else is a user error.
   */
  static float[] perChannel(
      String key, List<Double> values, List<Double> rgbDefault, int channels) {
    List<Double> v = values;
    if (values.size() == 1 || (channels == 1 && values.equals(rgbDefault))) {
      v = java.util.Collections.nCopies(channels, values.get(0));
    } else if (values.size() != channels) {
      throw new ConfigException(
          "resnet-cifar: "
              + key
              + " has "
              + values.size()
              + " entries "
              + values
              + " but the dataset's images have "
              + channels
              + " channel"
              + (channels == 1 ? "" : "s")
              + "; give "
              + channels
              + " entries, or one that applies to every channel");
    }
    float[] out = new float[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = v.get(c).floatValue();
    }
    return out;
  }
}
