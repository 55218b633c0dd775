package io.qrbench.perturbations;

/**
 * Additive Gaussian noise with scikit-image's {@code random_noise(mode='gaussian')} semantics: x +
 * N(mean, sqrt(var)), clipped to [0,1]; or, with {@code severity}, CIFAR-10-C's "Gaussian noise"
 * (Hendrycks &amp; Dietterich 2019): x + N(0, c), c = 0.04, 0.06, 0.08, 0.09, 0.10. Each image
 * draws from its own seeded generator, one draw per value in (C, H, W) order.
 */
public final class GaussianNoise extends NormalNoise {

  @Override
  public String id() {
    return "gaussian";
  }

  @Override
  public String description() {
    return "additive Gaussian noise, scikit-image semantics: x + N(mean, sqrt(var)), clipped to [0,1];"
        + " or CIFAR-10-C severity 1..5";
  }

  @Override
  double[] severityStd() {
    return Cifar10C.GAUSSIAN_STD;
  }

  @Override
  float perturb(float x, double noise) {
    // float noise added in float: the same values as adding a float32 noise tensor
    return x + (float) noise;
  }
}
