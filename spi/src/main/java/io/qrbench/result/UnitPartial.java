package io.qrbench.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one case measured on one batch-aligned range of images, kept exactly enough that a case's
 * {@link Metrics} made from its ranges' parts equal, bit for bit, those made from one range of all
 * images: sums are kept per batch and re-added in batch order (a double sum depends on its order),
 * per-image values are kept for the medians. An unsharded run makes its metrics through {@link
 * #metrics} too, from one part, so both paths are one.
 *
 * @param from the first image of the range
 * @param to one past its last image
 * @param correct1 images of the range whose top prediction was right
 * @param correctK images of the range whose label was among the top k
 * @param outcomes top-1 correctness, indexed by the image's index in the whole dataset
 * @param batches the sums of each batch of the range, in batch order
 * @param l2 ||x' - x||_2 per image of the range; null when the perturbation changed no image
 * @param linf max |x' - x| per image of the range; null when it changed no image
 * @param seconds wall time spent on the range
 * @param predictions each image's label and top-1 class over the range, or null (more classes than
 *     a byte holds, or written before predictions were kept)
 * @param examples the first images of the range as PNG data URIs (kept only by the range that
 *     starts the case), or an empty list
 */
public record UnitPartial(
    int from,
    int to,
    int correct1,
    int correctK,
    Outcomes outcomes,
    List<BatchSums> batches,
    @JsonInclude(JsonInclude.Include.NON_NULL) float[] l2,
    @JsonInclude(JsonInclude.Include.NON_NULL) float[] linf,
    double seconds,
    @JsonInclude(JsonInclude.Include.NON_NULL) Predictions predictions,
    List<String> examples) {

  public UnitPartial {
    batches = List.copyOf(batches);
    examples = examples == null ? List.of() : List.copyOf(examples);
  }

  /** A part without predictions or example images. */
  public UnitPartial(
      int from,
      int to,
      int correct1,
      int correctK,
      Outcomes outcomes,
      List<BatchSums> batches,
      float[] l2,
      float[] linf,
      double seconds) {
    this(from, to, correct1, correctK, outcomes, batches, l2, linf, seconds, null, List.of());
  }

  /**
   * One batch's sums over its images.
   *
   * @param abs the sum of the images' mean |x' - x|
   * @param l2 the sum of ||x' - x||_2
   * @param linf the sum of max |x' - x|
   * @param extra the sums the perturbation recorded ({@code PerturbationContext.record}), by key
   */
  public record BatchSums(double abs, double l2, double linf, Map<String, Double> extra) {
    public BatchSums {
      extra =
          extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extra));
    }
  }

  /** Images in the range. */
  public int images() {
    return to - from;
  }

  /**
   * A case's metrics from the parts covering its images {@code [0, n)}, each once.
   *
   * @param parts the parts, in any order: they are put in image order
   * @throws IllegalArgumentException when the parts do not cover {@code [0, n)} exactly once
   */
  public static Metrics metrics(List<UnitPartial> parts, int n) {
    List<UnitPartial> ordered = new ArrayList<>(parts);
    ordered.sort(java.util.Comparator.comparingInt(UnitPartial::from));
    int next = 0;
    for (UnitPartial p : ordered) {
      if (p.from() != next) {
        throw new IllegalArgumentException(
            "the ranges of a case do not cover its images once: expected one from image "
                + next
                + ", found ["
                + p.from()
                + ", "
                + p.to()
                + ")");
      }
      next = p.to();
    }
    if (next != n) {
      throw new IllegalArgumentException(
          "the ranges of a case end at image " + next + " of " + n + " images");
    }
    return metrics(ordered, 0, n);
  }

  /**
   * The metrics of this range alone, as if its images were all there were (outcomes keep their
   * indices in the whole dataset): what a shard shows for its part of a case.
   */
  public Metrics rangeMetrics() {
    return metrics(List.of(this), from, to);
  }

  /** Metrics of the ordered, contiguous parts covering {@code [first, end)}. */
  private static Metrics metrics(List<UnitPartial> ordered, int first, int end) {
    int n = end - first;
    int correct1 = 0;
    int correctK = 0;
    double sumAbs = 0;
    double sumL2 = 0;
    double sumLinf = 0;
    double seconds = 0;
    boolean moved = false;
    BitSet outcomes = new BitSet(end);
    float[] l2s = new float[n];
    float[] linfs = new float[n];
    Map<String, Double> extra = new TreeMap<>();
    // predictions join in image order when every part has them; examples are the case's first
    boolean predicted = ordered.stream().allMatch(p -> p.predictions() != null);
    int[] labels = new int[predicted ? n : 0];
    int[] top = new int[predicted ? n : 0];
    List<String> examples = new ArrayList<>();
    for (UnitPartial p : ordered) {
      if (predicted) {
        for (int i = 0; i < p.images(); i++) {
          labels[p.from() - first + i] = p.predictions().label(i);
          top[p.from() - first + i] = p.predictions().predicted(i);
        }
      }
      for (String e : p.examples()) {
        if (examples.size() < Metrics.MAX_EXAMPLES) {
          examples.add(e);
        }
      }
      correct1 += p.correct1();
      correctK += p.correctK();
      seconds += p.seconds();
      outcomes.or(p.outcomes().correct());
      // re-added one batch at a time, in batch order: the unsharded run's additions exactly
      for (BatchSums b : p.batches()) {
        sumAbs += b.abs();
        sumL2 += b.l2();
        sumLinf += b.linf();
        b.extra().forEach((key, v) -> extra.merge(key, v, Double::sum));
      }
      if (p.l2() != null) {
        System.arraycopy(p.l2(), 0, l2s, p.from() - first, p.images());
        System.arraycopy(p.linf(), 0, linfs, p.from() - first, p.images());
        moved = true;
      }
    }
    Map<String, Double> measured = new TreeMap<>();
    extra.forEach((key, v) -> measured.put(key, v / n));
    if (moved) { // minimal perturbations are skewed: the report shows their median beside the mean
      measured.put(Metrics.MEDIAN_L2, median(l2s));
      measured.put(Metrics.MEDIAN_LINF, median(linfs));
      measured.put(Metrics.Q1_L2, quantile(l2s, 0.25));
      measured.put(Metrics.Q3_L2, quantile(l2s, 0.75));
      measured.put(Metrics.Q1_LINF, quantile(linfs, 0.25));
      measured.put(Metrics.Q3_LINF, quantile(linfs, 0.75));
    }
    return new Metrics(
        n,
        100.0 * correct1 / n,
        100.0 * correctK / n,
        correct1,
        correctK,
        sumAbs / n,
        255 * sumAbs / n,
        sumL2 / n,
        sumLinf / n,
        seconds,
        n / seconds,
        Outcomes.of(outcomes),
        measured,
        predicted ? Predictions.of(labels, top) : null,
        examples);
  }

  /**
   * The q-quantile, interpolated linearly between the sorted values at (n - 1) q (numpy's default):
   * {@code quantile(v, 0.5)} is the {@link #median}.
   */
  public static double quantile(float[] v, double q) {
    float[] s = v.clone();
    Arrays.sort(s);
    double at = (s.length - 1) * q;
    int lo = (int) Math.floor(at);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (at - lo) * ((double) s[hi] - s[lo]);
  }

  /** The median, the mean of the middle two for an even count. */
  public static double median(float[] v) {
    float[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : ((double) s[m - 1] + s[m]) / 2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnitPartial u
        && from == u.from
        && to == u.to
        && correct1 == u.correct1
        && correctK == u.correctK
        && outcomes.equals(u.outcomes)
        && batches.equals(u.batches)
        && Arrays.equals(l2, u.l2)
        && Arrays.equals(linf, u.linf)
        && Double.compare(seconds, u.seconds) == 0
        && java.util.Objects.equals(predictions, u.predictions)
        && examples.equals(u.examples);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(from, to, correct1, outcomes, batches, Arrays.hashCode(l2));
  }

  @Override
  public String toString() {
    return "UnitPartial[" + from + ", " + to + ")";
  }
}
