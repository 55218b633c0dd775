package io.qrbench.perturbations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoissonSamplerTest {
  private static final int N = 200_000;

  /** N draws with PoissonSampler (inversion, PTRS) or, with {@code table}, from a PoissonTable. */
  private static double[] draws(boolean table, double lambda, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    PoissonTable t = table ? PoissonTable.of(lambda, 1.0) : null;
    double[] d = new double[N];
    for (int i = 0; i < N; i++) {
      d[i] = table ? t.sample(r.nextDouble()) : PoissonSampler.sample(r, lambda);
    }
    return d;
  }

  /** The sampler's two branches, around the switch and far into PTRS; the table up to its limit. */
  static Stream<Arguments> means() {
    Stream<Arguments> sampler =
        DoubleStream.of(0.05, 0.7, 3, 9.99, 10, 10.5, 37.5, 128, 500, 123_456.7)
            .mapToObj(l -> Arguments.of(false, l));
    Stream<Arguments> table =
        DoubleStream.of(0.004, 0.7, 3, 10, 37.5, 128, 256, 500, PoissonTable.MAX_LAMBDA)
            .mapToObj(l -> Arguments.of(true, l));
    return Stream.concat(sampler, table);
  }

  /** Means for the goodness-of-fit test. */
  static Stream<Arguments> fits() {
    return Stream.of(false, true)
        .flatMap(
            table ->
                DoubleStream.of(2.5, 9.5, 10, 14, 60, 300).mapToObj(l -> Arguments.of(table, l)));
  }

  @ParameterizedTest(name = "table {0}, lambda {1}")
  @MethodSource("means")
  void meanAndVarianceAreLambda(boolean table, double lambda) {
    double[] d = draws(table, lambda, (long) (lambda * 1000));
    double seMean = Math.sqrt(lambda / N);
    // Var(s^2) = lambda^2 (2 / (N - 1) + excess kurtosis / N), and Poisson's excess kurtosis is
    // 1/lambda
    double seVar = lambda * Math.sqrt((2 + 1 / lambda) / N);
    assertEquals(lambda, NoiseFixture.mean(d), 5 * seMean, "mean; SE " + seMean);
    assertEquals(lambda, NoiseFixture.variance(d), 5 * seVar, "variance; SE " + seVar);
    for (double v : d) {
      assertTrue(v >= 0 && v == Math.rint(v), "a non-negative integer: " + v);
    }
  }

  /**
   * Pearson's chi-square against the exact probabilities, bins with fewer than 5 expected merged.
   */
  @ParameterizedTest(name = "table {0}, lambda {1}")
  @MethodSource("fits")
  void frequenciesMatchThePoissonProbabilities(boolean table, double lambda) {
    double[] d = draws(table, lambda, 17 + (long) lambda);
    int max = (int) (lambda + 20 * Math.sqrt(lambda) + 20);
    long[] counts = new long[max + 1];
    for (double v : d) {
      counts[(int) Math.min(v, max)]++;
    }
    double[] p = new double[max + 1]; // P(k) below max, P(X >= max) at max
    double below = 0;
    for (int k = 0; k < max; k++) {
      p[k] = pmf(lambda, k);
      below += p[k];
    }
    p[max] = Math.max(0, 1 - below);
    double chi2 = 0;
    int bins = 0;
    double expected = 0;
    long observed = 0;
    for (int k = 0; k <= max; k++) { // merge neighbours until each bin expects at least 5
      expected += N * p[k];
      observed += counts[k];
      if (expected >= 5) {
        chi2 += (observed - expected) * (observed - expected) / expected;
        bins++;
        expected = 0;
        observed = 0;
      }
    }
    if (expected > 0) { // the upper tail left over: a bin of its own
      chi2 += (observed - expected) * (observed - expected) / expected;
      bins++;
    }
    int df = bins - 1;
    // chi-square with df degrees of freedom: mean df, standard deviation sqrt(2 df)
    assertTrue(
        chi2 < df + 5 * Math.sqrt(2.0 * df),
        "chi2 " + chi2 + " with " + df + " degrees of freedom");
  }

  @Test
  void zeroOrNegativeMeansGiveZero() {
    SplittableRandom r = new SplittableRandom(1);
    assertEquals(0, PoissonSampler.sample(r, 0));
    assertEquals(0, PoissonSampler.sample(r, -3));
  }

  @Test
  void tableSurvivesTheLargestUniform() {
    double below1 = Math.nextDown(1.0); // u * n may round up to n
    for (double lambda : new double[] {0.004, 3, 100, PoissonTable.MAX_LAMBDA}) {
      for (double u : new double[] {0.0, below1}) {
        double k = PoissonTable.of(lambda, 1.0).sample(u);
        assertTrue(
            k >= 0 && k <= lambda + 20 * Math.sqrt(lambda) + 20,
            "lambda " + lambda + ", u " + u + ": " + k);
      }
    }
  }

  @Test
  void logFactorialIsExactAcrossTheTableBoundary() {
    double sum = 0;
    for (int k = 1; k <= 5000; k++) {
      sum += Math.log(k);
      assertEquals(sum, PoissonSampler.logFactorial(k), 1e-12 * sum, "log " + k + "!");
    }
    assertEquals(0, PoissonSampler.logFactorial(0));
  }

  private static double pmf(double lambda, int k) {
    return Math.exp(-lambda + k * Math.log(lambda) - PoissonSampler.logFactorial(k));
  }
}
