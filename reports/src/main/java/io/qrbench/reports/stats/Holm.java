package io.qrbench.reports.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Holm's step-down adjustment of p-values (Holm 1979): testing m cases at once, the k-th smallest p
 * is multiplied by (m - k + 1) and made monotone, so that rejecting where the adjusted p is below
 * alpha keeps the chance of any false finding at alpha. Uniformly more powerful than Bonferroni.
 */
public final class Holm {
  private Holm() {}

  /**
   * The adjusted p-values, in the input's order; NaN entries (cases not tested) stay NaN and do not
   * count.
   */
  public static double[] adjust(double[] p) {
    double[] out = p.clone();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      if (!Double.isNaN(p[i])) {
        idx.add(i);
      }
    }
    idx.sort(Comparator.comparingDouble(i -> p[i]));
    int m = idx.size();
    double running = 0;
    for (int k = 0; k < m; k++) {
      int i = idx.get(k);
      running = Math.max(running, Math.min(1, (m - k) * p[i]));
      out[i] = running;
    }
    return out;
  }
}
