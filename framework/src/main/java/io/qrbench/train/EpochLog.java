package io.qrbench.train;

/**
 * One epoch of training, as logged.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy over the epoch's batches
 * @param trainTop1 top-1 accuracy (percent) on the epoch's (augmented) training batches
 * @param testTop1 top-1 accuracy (percent) on the test split after the epoch, or null when not
 *     evaluated
 * @param testTop5 top-5 accuracy (percent) on the test split, or null
 * @param learningRate the rate at the epoch's last step
 * @param seconds wall time of the epoch, evaluation included
 * @param imagesPerSecond training images per second (evaluation excluded)
 */
public record EpochLog(
    int epoch,
    double trainLoss,
    double trainTop1,
    Double testTop1,
    Double testTop5,
    double learningRate,
    double seconds,
    double imagesPerSecond) {

  /** The CSV header matching {@link #csv()}. */
  public static final String CSV_HEADER =
      "epoch,train_loss,train_top1,test_top1,test_top5,learning_rate,seconds,images_per_second";

  /** This epoch as a CSV row. */
  public String csv() {
    return epoch
        + ","
        + trainLoss
        + ","
        + trainTop1
        + ","
        + (testTop1 == null ? "" : testTop1)
        + ","
        + (testTop5 == null ? "" : testTop5)
        + ","
        + learningRate
        + ","
        + seconds
        + ","
        + imagesPerSecond;
  }
}
