package io.qrbench.perturbations;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;

/**
 * The settings of a noise drawn from a normal distribution ({@code gaussian}, {@code speckle}):
 * scikit-image's mean and variance, or a CIFAR-10-C severity instead. With {@code severity} given,
 * {@code mean} and {@code var} stay null.
 *
 * @param mean mean of the noise (scikit-image's default 0)
 * @param var variance of the noise (scikit-image's default 0.01, a standard deviation of 0.1)
 * @param severity CIFAR-10-C level 1..5 instead of mean and var, or null
 * @param quantizeToUint8 round the output to k/255, as a dataset stored as 8-bit images
 */
public record NormalNoiseConfig(
    @JsonPropertyDescription("mean of the noise (scikit-image default 0)")
        @Bound(min = -1, max = 1, why = "pixel values are in [0,1]")
        Double mean,
    @JsonPropertyDescription(
            "variance of the noise, not the standard deviation (scikit-image default 0.01)")
        @Bound(min = 0, max = 1, why = "pixel values are in [0,1]; scikit-image's default is 0.01")
        Double var,
    @JsonPropertyDescription("CIFAR-10-C severity 1..5 instead of mean and var")
        @Bound(min = 1, max = 5)
        Integer severity,
    @JsonPropertyDescription(
            "round the output to k/255 (half to even), like images stored as 8 bits")
        Boolean quantizeToUint8) {
  public NormalNoiseConfig {
    Cifar10C.check("this noise", severity, "mean", mean, "var", var);
    if (severity == null) {
      mean = mean == null ? 0.0 : mean;
      var = var == null ? 0.01 : var;
      if (!Double.isFinite(mean)) {
        throw new IllegalArgumentException("mean must be a finite number, was " + mean);
      }
      if (!(var >= 0) || Double.isInfinite(var)) {
        throw new IllegalArgumentException("var must be a finite number >= 0, was " + var);
      }
    }
    quantizeToUint8 = quantizeToUint8 != null && quantizeToUint8;
  }

  /** The mean the noise is drawn with. */
  double noiseMean() {
    return severity == null ? mean : 0.0;
  }

  /**
   * The standard deviation the noise is drawn with; {@code severityStd} holds CIFAR-10-C's five.
   */
  double noiseStd(double[] severityStd) {
    return severity == null ? Math.sqrt(var) : Cifar10C.constant(severityStd, severity);
  }
}
