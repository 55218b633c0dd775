package io.qrbench.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qrbench.QrbenchException;
import io.qrbench.spi.ModelUnderTest;
import java.util.Locale;

/**
 * Where a perturbation works: on the [0,1] images the dataset gives ({@code pixel}, the default),
 * on the model's standardised input (x - mean) / std ({@code normalised}, as code that adds noise
 * after torchvision's {@code Normalize} does), or on the images times 255 as float ({@code
 * pixel255}, as code that adds noise to 0-255 float arrays does). The study this benchmark
 * generalises does not say which it used; its Poisson and speckle numbers are what this tells
 * apart.
 */
public enum InputSpace {
  PIXEL,
  NORMALISED,
  PIXEL255;

  /** The name a suite writes. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The per-channel affine map x = y * scale + offset from this space's values y back to [0,1]
   * images, for {@code model}'s input.
   *
   * @throws QrbenchException for {@code normalised} on a model that exposes no standardisation
   */
  Affine affine(ModelUnderTest model, int channels) {
    float[] scale = new float[channels];
    float[] offset = new float[channels];
    float[] inverse = null;
    switch (this) {
      case PIXEL -> java.util.Arrays.fill(scale, 1f);
      case PIXEL255 -> {
        java.util.Arrays.fill(scale, 1f / 255f);
        inverse = new float[channels];
        java.util.Arrays.fill(inverse, 255f); // x * 255 and y / 255, as numpy code writes them
      }
      case NORMALISED -> {
        ModelUnderTest.Standardisation s =
            model
                .standardisation()
                .orElseThrow(
                    () ->
                        new QrbenchException(
                            "'space: normalised' needs the model's input mean and std, and model '"
                                + model.name()
                                + "' exposes none (no Normalise layer, or a runtime that hides it);"
                                + " use 'space: pixel' for it, or a model with a Normalise layer"
                                + " such as resnet-cifar"));
        if (s.mean().length != channels) {
          throw new QrbenchException(
              "model '"
                  + model.name()
                  + "' standardises "
                  + s.mean().length
                  + " channels but its input has "
                  + channels);
        }
        scale = s.std();
        offset = s.mean();
      }
      default -> throw new IllegalStateException(name());
    }
    return new Affine(scale, offset, inverse);
  }

  /**
   * x = y * scale + offset, channel by channel.
   *
   * @param scale per channel, positive: dx/dy, what a gradient with respect to x is multiplied by
   * @param offset per channel
   * @param inverse 1 / scale where it is an exact float that code multiplies by (255), else null to
   *     divide by scale (as {@code Normalize} does)
   */
  record Affine(float[] scale, float[] offset, float[] inverse) {
    /** (1, C, 1, 1) array of {@code v} in {@code m}, for an NCHW batch. */
    private static NDArray perChannel(NDManager m, float[] v) {
      return m.create(v, new Shape(1, v.length, 1, 1));
    }

    /** This space's values of [0,1] images x: (x - offset) / scale. */
    NDArray fromPixels(NDArray x) {
      NDManager m = x.getManager();
      NDArray centred = x.sub(perChannel(m, offset));
      return inverse != null
          ? centred.mul(perChannel(m, inverse))
          : centred.div(perChannel(m, scale));
    }

    /** [0,1]-space values of this space's y: y * scale + offset (not clipped). */
    NDArray toPixels(NDArray y) {
      NDManager m = y.getManager();
      NDArray scaled =
          inverse != null ? y.div(perChannel(m, inverse)) : y.mul(perChannel(m, scale));
      return scaled.add(perChannel(m, offset));
    }

    /** A gradient with respect to x carried to y: times dx/dy. */
    NDArray gradientToSpace(NDArray gx) {
      return gx.mul(perChannel(gx.getManager(), scale));
    }
  }
}
