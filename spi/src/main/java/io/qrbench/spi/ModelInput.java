package io.qrbench.spi;

/**
 * The shape of what a model is fed and how many classes it predicts; taken from the dataset.
 *
 * @param channels image channels (3 for RGB)
 * @param height image height in pixels
 * @param width image width in pixels
 * @param classes number of classes
 */
public record ModelInput(int channels, int height, int width, int classes) {
  public ModelInput {
    if (channels < 1 || height < 1 || width < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "bad model input " + channels + "x" + height + "x" + width + ", " + classes + " classes");
    }
  }
}
