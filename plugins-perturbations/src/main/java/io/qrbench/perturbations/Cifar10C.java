package io.qrbench.perturbations;

import java.util.ArrayList;
import java.util.List;

/**
 * The severity levels of CIFAR-10-C's noise corruptions (Hendrycks &amp; Dietterich 2019,
 * "Benchmarking Neural Network Robustness to Common Corruptions and Perturbations", ICLR; constants
 * from the authors' {@code make_cifar_c.py}), and the checks shared by the noises' {@code severity}
 * key: a severity selects these constants, so it cannot be combined with the scikit-image keys.
 */
final class Cifar10C {
  /** Gaussian noise: standard deviation. */
  static final double[] GAUSSIAN_STD = {0.04, 0.06, 0.08, 0.09, 0.10};

  /** Shot noise: Poisson(x * c) / c. */
  static final double[] SHOT_SCALE = {500, 250, 100, 75, 50};

  /** Impulse noise: scikit-image s&amp;p amount, salt_vs_pepper left at its 0.5. */
  static final double[] IMPULSE_AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};

  /** Speckle noise: x + x * N(0, c). */
  static final double[] SPECKLE_STD = {0.06, 0.10, 0.12, 0.16, 0.20};

  private Cifar10C() {}

  /**
   * Checks a noise's {@code severity} against the scikit-image keys it replaces.
   *
   * @param noise the plugin id, for messages
   * @param severity the severity key, null when not given
   * @param keysAndValues alternating kebab-case key names and their bound values (null: not given)
   * @throws IllegalArgumentException when the severity is outside 1..5 or comes with other keys
   */
  static void check(String noise, Integer severity, Object... keysAndValues) {
    if (severity == null) {
      return;
    }
    if (severity < 1 || severity > 5) {
      throw new IllegalArgumentException(
          "severity must be 1, 2, 3, 4 or 5 (the CIFAR-10-C levels of "
              + noise
              + "), was "
              + severity);
    }
    List<String> all = new ArrayList<>();
    List<String> given = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      String key = (String) keysAndValues[i];
      all.add(key);
      if (keysAndValues[i + 1] != null) {
        given.add(key);
      }
    }
    if (!given.isEmpty()) {
      throw new IllegalArgumentException(
          "severity selects the CIFAR-10-C constants of "
              + noise
              + " and cannot be combined with "
              + String.join(", ", given)
              + "; give either severity or the scikit-image keys ("
              + String.join(", ", all)
              + ")");
    }
  }

  /** The constant of {@code severity} (1..5) in {@code table}. */
  static double constant(double[] table, int severity) {
    return table[severity - 1];
  }
}
