package io.qrbench.model;

/**
 * The cross-entropy of each image and the direction attacks ascend, from float32 logits in double
 * precision. With m = logsumexp over the other classes of z_j, minus z_y (the log-odds against the
 * true label y, log((1 - p_y) / p_y)), the cross-entropy is log(1 + e^m) and its gradient with
 * respect to the logits is sigmoid(m) (q - onehot(y)), q the softmax over the other classes. In
 * float32 the softmax of a confident image rounds to exactly one-hot, so that gradient is zero or
 * made of denormals whose signs depend on the summation order; q - onehot(y) has an entry of -1 and
 * cannot underflow, and differs from the gradient only by the positive factor sigmoid(m).
 *
 * @param logOdds m of each image
 * @param loss the cross-entropy log(1 + e^m) of each image
 * @param logitDirection (N, classes) row-major: q - onehot(y), the gradient of m with respect to
 *     the logits
 */
record LogOdds(double[] logOdds, double[] loss, float[] logitDirection) {

  static LogOdds of(float[] logits, int[] labels, int classes) {
    int n = labels.length;
    if (logits.length != n * classes || classes < 2) {
      throw new IllegalArgumentException(
          logits.length + " logits for " + n + " labels and " + classes + " classes");
    }
    double[] m = new double[n];
    double[] loss = new double[n];
    float[] w = new float[n * classes];
    for (int i = 0; i < n; i++) {
      int y = labels[i];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException(
            "label " + y + " of image " + i + " is not in 0.." + (classes - 1));
      }
      int row = i * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        if (j != y) {
          max = Math.max(max, logits[row + j]);
        }
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        if (j != y) {
          sum += Math.exp(logits[row + j] - max);
        }
      }
      double lse = max + Math.log(sum);
      for (int j = 0; j < classes; j++) {
        w[row + j] = j == y ? -1f : (float) Math.exp(logits[row + j] - lse);
      }
      m[i] = lse - logits[row + y];
      // log(1 + e^m), written so that it neither overflows nor rounds to 0 for confident images
      loss[i] = m[i] > 0 ? m[i] + Math.log1p(Math.exp(-m[i])) : Math.log1p(Math.exp(m[i]));
    }
    return new LogOdds(m, loss, w);
  }
}
