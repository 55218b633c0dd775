package io.qrbench.perturbations;

/**
 * Multiplicative noise with scikit-image's {@code random_noise(mode='speckle')} semantics: x + x *
 * N(mean, sqrt(var)), clipped to [0,1]; or, with {@code severity}, CIFAR-10-C's "speckle noise"
 * (Hendrycks &amp; Dietterich 2019): x + x * N(0, c), c = 0.06, 0.10, 0.12, 0.16, 0.20. Each image
 * draws from its own seeded generator, one draw per value in (C, H, W) order.
 */
public final class SpeckleNoise extends NormalNoise {

  @Override
  public String id() {
    return "speckle";
  }

  @Override
  public String description() {
    return "multiplicative noise, scikit-image semantics: x + x * N(mean, sqrt(var)), clipped to [0,1];"
        + " or CIFAR-10-C severity 1..5";
  }

  @Override
  double[] severityStd() {
    return Cifar10C.SPECKLE_STD;
  }

  @Override
  float perturb(float x, double noise) {
    return (float) (x + (double) x * noise);
  }
}
