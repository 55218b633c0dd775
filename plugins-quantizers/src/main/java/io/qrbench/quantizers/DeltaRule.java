package io.qrbench.quantizers;

/**
 * How TWN picks its threshold delta for one group of weights. Sealed so that a report can name
 * every possible rule, as the science notes ask ("report which was used").
 */
public sealed interface DeltaRule permits DeltaRule.Factor, DeltaRule.Optimal {

  /** TWN's published approximation, {@code 0.7 * mean|w|}. */
  static DeltaRule twn() {
    return new Factor(Ternary.TWN_FACTOR);
  }

  /** The exact maximiser of the TWN objective. */
  static DeltaRule optimal() {
    return new Optimal();
  }

  /** The threshold for the slice {@code [from, to)} of {@code w}. */
  float delta(float[] w, int from, int to);

  /** A short human-readable name for reports, such as {@code 0.7*mean|w|} or {@code optimal}. */
  String label();

  /**
   * {@code delta = factor * mean|w|} (TWN uses 0.7, derived for Gaussian or uniform weights).
   *
   * @param factor a finite, non-negative multiplier
   */
  record Factor(double factor) implements DeltaRule {
    /** Refuses factors that would make the threshold meaningless. */
    public Factor {
      if (!Double.isFinite(factor) || factor < 0) {
        throw new IllegalArgumentException("factor must be finite and >= 0, got " + factor);
      }
    }

    @Override
    public float delta(float[] w, int from, int to) {
      return Ternary.deltaFactor(w, from, to, factor);
    }

    @Override
    public String label() {
      return factor + "*mean|w|";
    }
  }

  /** The exact maximiser of {@code (sum over I_delta |w|)^2 / |I_delta|}, see {@link Ternary}. */
  record Optimal() implements DeltaRule {
    @Override
    public float delta(float[] w, int from, int to) {
      return Ternary.deltaOptimal(w, from, to);
    }

    @Override
    public String label() {
      return "optimal";
    }
  }
}
