package io.qrbench.result;

/**
 * What one case measured. {@link Metric} names each of these once for checks and reports.
 *
 * @param images images evaluated
 * @param top1 top-1 accuracy in percent
 * @param top5 top-k accuracy in percent, k = min(5, classes)
 * @param correct1 images whose top prediction was right
 * @param correct5 images whose label was among the top k
 * @param meanAbs mean over images of mean |x' - x|, pixel values in [0,1]
 * @param meanAbs255 the same in 0-255 units
 * @param meanL2 mean over images of ||x' - x||_2, values in [0,1]
 * @param meanLinf mean over images of max |x' - x|, values in [0,1]
 * @param seconds wall time of the case
 * @param imagesPerSecond images evaluated per second, perturbation included
 * @param outcomes per-image top-1 correctness; the report's paired tests compare models on these
 *     (null in results written before they were recorded)
 * @param extra the perturbation's own per-image measurements, averaged over images (e.g. the
 *     minimal attack's {@code fooled}: the fraction of images it fooled within its budget) and,
 *     when the perturbation changed any image, the median over images of ||x' - x||_2 and of max
 *     |x' - x| ({@link #MEDIAN_L2}, {@link #MEDIAN_LINF}), which a mean of per-image measurements
 *     cannot give
 * @param predictions each image's label and top-1 class, for per-class accuracy and confusion
 *     matrices (null in results written before they were recorded, and for more than 256 classes)
 * @param examples a few of the evaluated images (at most {@value #MAX_EXAMPLES}, the first of the
 *     split) as the model saw them, each a {@code data:image/png;base64,...} URI, for the report to
 *     show what a perturbation does to an image; empty in results written before they were recorded
 */
public record Metrics(
    int images,
    double top1,
    double top5,
    int correct1,
    int correct5,
    double meanAbs,
    double meanAbs255,
    double meanL2,
    double meanLinf,
    double seconds,
    double imagesPerSecond,
    Outcomes outcomes,
    java.util.Map<String, Double> extra,
    Predictions predictions,
    java.util.List<String> examples) {
  /** The most example images a case keeps: a few kilobytes for 32x32 images. */
  public static final int MAX_EXAMPLES = 4;

  /** The key in {@link #extra} of the median over images of ||x' - x||_2. */
  public static final String MEDIAN_L2 = "median-l2";

  /** The key in {@link #extra} of the median over images of max |x' - x|. */
  public static final String MEDIAN_LINF = "median-linf";

  /** The key in {@link #extra} of the first quartile over images of ||x' - x||_2. */
  public static final String Q1_L2 = "q1-l2";

  /** The key in {@link #extra} of the third quartile over images of ||x' - x||_2. */
  public static final String Q3_L2 = "q3-l2";

  /** The key in {@link #extra} of the first quartile over images of max |x' - x|. */
  public static final String Q1_LINF = "q1-linf";

  /** The key in {@link #extra} of the third quartile over images of max |x' - x|. */
  public static final String Q3_LINF = "q3-linf";

  /** The key in {@link #extra} of the mean over images of mean |x' - x| / std. */
  public static final String MEAN_ABS_NORMALISED = "mean-abs-normalised";

  /** The key in {@link #extra} of the mean over images of ||(x' - x) / std||_2. */
  public static final String MEAN_L2_NORMALISED = "mean-l2-normalised";

  /** The key in {@link #extra} of the mean over images of max |x' - x| / std. */
  public static final String MEAN_LINF_NORMALISED = "mean-linf-normalised";

  public Metrics {
    extra =
        extra == null
            ? java.util.Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(extra));
    examples = examples == null ? java.util.List.of() : java.util.List.copyOf(examples);
  }

  /** Metrics without per-image predictions or example images, as results before them held. */
  public Metrics(
      int images,
      double top1,
      double top5,
      int correct1,
      int correct5,
      double meanAbs,
      double meanAbs255,
      double meanL2,
      double meanLinf,
      double seconds,
      double imagesPerSecond,
      Outcomes outcomes,
      java.util.Map<String, Double> extra) {
    this(
        images,
        top1,
        top5,
        correct1,
        correct5,
        meanAbs,
        meanAbs255,
        meanL2,
        meanLinf,
        seconds,
        imagesPerSecond,
        outcomes,
        extra,
        null,
        null);
  }
}
