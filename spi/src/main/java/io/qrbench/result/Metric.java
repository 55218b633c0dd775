package io.qrbench.result;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The metrics a case records, each named once: checks ({@code FP.clean.top1}), the CSV, the HTML
 * and Markdown reports and the results.json validation all take a metric's names, label, unit and
 * precision from here, so a metric cannot be spelt two ways by two writers.
 *
 * <p>A metric has three spellings, all derived from {@link #id()}: the kebab-case id a check writes
 * ({@code mean-abs-255}), the snake-case {@link #key()} of CSV rows and HTML {@code data-metric}
 * attributes ({@code mean_abs_255}), and the camelCase {@link #jsonName()} of its field in
 * results.json ({@code meanAbs255}).
 */
public enum Metric {
  IMAGES("images", "images", "", Direction.NEITHER, 0, m -> (double) m.images()),
  TOP1("top1", "top-1", "%", Direction.HIGHER, 2, Metrics::top1),
  TOP5("top5", "top-5", "%", Direction.HIGHER, 2, Metrics::top5),
  CORRECT1("correct1", "correct top-1", "", Direction.HIGHER, 0, m -> (double) m.correct1()),
  CORRECT5("correct5", "correct top-5", "", Direction.HIGHER, 0, m -> (double) m.correct5()),
  MEAN_ABS("mean-abs", "mean |\u03b4| [0,1]", "", Direction.NEITHER, 5, Metrics::meanAbs),
  MEAN_ABS_255(
      "mean-abs-255", "mean |\u03b4| (0\u2013255)", "", Direction.NEITHER, 3, Metrics::meanAbs255),
  MEAN_L2("mean-l2", "mean L2", "", Direction.NEITHER, 4, Metrics::meanL2),
  MEAN_LINF("mean-linf", "mean L\u221e", "", Direction.NEITHER, 5, Metrics::meanLinf),
  SECONDS("seconds", "seconds", "s", Direction.LOWER, 1, Metrics::seconds),
  IMAGES_PER_SECOND(
      "images-per-second", "images/s", "images/s", Direction.HIGHER, 1, Metrics::imagesPerSecond),
  /**
   * The minimal attack's share of images it fooled within its budget (0 to 1), recorded among the
   * perturbation's own measurements ({@link Metrics#extra()}), so only its cases have it.
   */
  FOOLED("fooled", "fooled", "", Direction.LOWER, 2, m -> m.extra().get("fooled")),
  /**
   * The median over images of ||x' - x||_2, kept beside the mean for cases that moved the images
   * (minimal perturbations are skewed: a few hard images pull the mean up).
   */
  MEDIAN_L2(
      Metrics.MEDIAN_L2,
      "median L2",
      "",
      Direction.NEITHER,
      4,
      m -> m.extra().get(Metrics.MEDIAN_L2)),
  /** The median over images of max |x' - x|, beside the mean as {@link #MEDIAN_L2} is. */
  MEDIAN_LINF(
      Metrics.MEDIAN_LINF,
      "median L\u221e",
      "",
      Direction.NEITHER,
      5,
      m -> m.extra().get(Metrics.MEDIAN_LINF)),
  /** The first quartile over images of ||x' - x||_2, with the median the spread of the sizes. */
  Q1_L2(Metrics.Q1_L2, "L2 q1", "", Direction.NEITHER, 4, m -> m.extra().get(Metrics.Q1_L2)),
  /** The third quartile over images of ||x' - x||_2. */
  Q3_L2(Metrics.Q3_L2, "L2 q3", "", Direction.NEITHER, 4, m -> m.extra().get(Metrics.Q3_L2)),
  /** The first quartile over images of max |x' - x|. */
  Q1_LINF(
      Metrics.Q1_LINF, "L\u221e q1", "", Direction.NEITHER, 5, m -> m.extra().get(Metrics.Q1_LINF)),
  /** The third quartile over images of max |x' - x|. */
  Q3_LINF(
      Metrics.Q3_LINF, "L\u221e q3", "", Direction.NEITHER, 5, m -> m.extra().get(Metrics.Q3_LINF)),
  /**
   * Mean over images of mean |x' - x| / std, in the model's normalised units (its input after (x -
   * mean) / std): what code that perturbs after {@code Normalize} measures. Only for models that
   * expose their standardisation.
   */
  MEAN_ABS_NORMALISED(
      Metrics.MEAN_ABS_NORMALISED,
      "mean |\u03b4| normalised",
      "",
      Direction.NEITHER,
      5,
      m -> m.extra().get(Metrics.MEAN_ABS_NORMALISED)),
  /** Mean over images of ||(x' - x) / std||_2, in normalised units. */
  MEAN_L2_NORMALISED(
      Metrics.MEAN_L2_NORMALISED,
      "mean L2 normalised",
      "",
      Direction.NEITHER,
      4,
      m -> m.extra().get(Metrics.MEAN_L2_NORMALISED)),
  /** Mean over images of max |x' - x| / std, in normalised units. */
  MEAN_LINF_NORMALISED(
      Metrics.MEAN_LINF_NORMALISED,
      "mean L\u221e normalised",
      "",
      Direction.NEITHER,
      5,
      m -> m.extra().get(Metrics.MEAN_LINF_NORMALISED));

  /** Which way is better for the model under test. */
  public enum Direction {
    HIGHER,
    LOWER,
    /** A size of the perturbation or of the test, neither better nor worse. */
    NEITHER
  }

  private final String id;
  private final String label;
  private final String unit;
  private final Direction direction;
  private final int decimals;
  private final Function<Metrics, Double> value;

  Metric(
      String id,
      String label,
      String unit,
      Direction direction,
      int decimals,
      Function<Metrics, Double> value) {
    this.id = id;
    this.label = label;
    this.unit = unit;
    this.direction = direction;
    this.decimals = decimals;
    this.value = value;
  }

  /** The name a check writes: {@code top1}, {@code mean-abs-255}. */
  public String id() {
    return id;
  }

  /** The name in CSV rows and HTML {@code data-metric} attributes: {@code mean_abs_255}. */
  public String key() {
    return id.replace('-', '_');
  }

  /** The field's name in results.json, a component of {@link Metrics} unless {@link #extra()}. */
  public String jsonName() {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : id.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  /** The column heading in reports. */
  public String label() {
    return label;
  }

  /** The unit, empty for counts and pixel distances. */
  public String unit() {
    return unit;
  }

  /** Which way is better. */
  public Direction direction() {
    return direction;
  }

  /** Decimals shown in report tables (a percentage of a count shows {@code 2}). */
  public int decimals() {
    return decimals;
  }

  /** True for a whole number of images. */
  public boolean integral() {
    return decimals == 0;
  }

  /**
   * True when a perturbation records it in {@link Metrics#extra()} rather than every case having
   * it.
   */
  public boolean extra() {
    return ordinal() >= FOOLED.ordinal(); // FOOLED and every metric declared after it
  }

  /**
   * Its value in {@code m}; empty when {@code m} lacks it (an extra the perturbation did not
   * record).
   */
  public Optional<Double> value(Metrics m) {
    return Optional.ofNullable(value.apply(m));
  }

  /** The metrics every case has, in report order. */
  public static java.util.List<Metric> standard() {
    return Arrays.stream(values()).filter(m -> !m.extra()).toList();
  }

  /**
   * The metric a check names, whatever its case and separators ({@code meanAbs255}, {@code
   * mean_abs_255} and {@code mean-abs-255} are one metric).
   */
  public static Optional<Metric> named(String written) {
    String n = normalise(written);
    return Arrays.stream(values()).filter(m -> normalise(m.id).equals(n)).findFirst();
  }

  /** Lower case without {@code -} and {@code _}: how names are compared. */
  public static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /** The ids as a check writes them, for messages. */
  public static String ids() {
    return Arrays.stream(values())
        .map(
            m -> m == FOOLED ? m.id + " (attacks)" : m.extra() ? m.id + " (perturbed cases)" : m.id)
        .collect(Collectors.joining(", "));
  }
}
