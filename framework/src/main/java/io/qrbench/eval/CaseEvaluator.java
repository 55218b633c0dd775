package io.qrbench.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qrbench.QrbenchException;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.Metrics;
import io.qrbench.result.Outcomes;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.BitSet;
import java.util.function.IntConsumer;

/**
 * Evaluates one model under one perturbation level, batch by batch, each batch in its own scope.
 */
public final class CaseEvaluator {
  private final ImageDataset data;
  private final int batchSize;
  private final IntConsumer imagesDone;

  /**
   * An evaluator over {@code data} in batches of {@code batchSize}, telling {@code imagesDone} how
   * many images each batch evaluated (a progress bar's feed).
   */
  public CaseEvaluator(ImageDataset data, int batchSize, IntConsumer imagesDone) {
    this.data = data;
    this.batchSize = batchSize;
    this.imagesDone = imagesDone;
  }

  /** The images a case evaluates. */
  public int images() {
    return data.size();
  }

  /** Top-1 and top-5 of {@code model} on the clean images. */
  public Metrics evaluateClean(LoadedModel model) {
    return evaluate(model, Clean.INSTANCE, new io.qrbench.spi.EmptyConfig(), 0L);
  }

  /** {@code model} under one level of {@code perturbation}, crafted on itself. */
  public Metrics evaluate(
      LoadedModel model, Perturbation<?> perturbation, Record config, long levelSeed) {
    return evaluate(model, () -> model, perturbation, config, levelSeed, null);
  }

  /**
   * Evaluates {@code model} on images perturbed against {@code attacked}: the same model, or for a
   * transfer attack another one that the perturbation's gradients come from, asked for only when a
   * batch must be crafted.
   *
   * @param crafted where a transfer attack keeps the images it crafted, so that the next model is
   *     evaluated on them without crafting them again; null to craft every batch
   */
  public Metrics evaluate(
      LoadedModel model,
      java.util.function.Supplier<LoadedModel> attacked,
      Perturbation<?> perturbation,
      Record config,
      long levelSeed,
      CraftedImages crafted) {
    int n = data.size();
    int k = Math.min(5, model.classes());
    Batches batches = new Batches(data, batchSize);
    BitSet outcomes = new BitSet(n);
    int correct1 = 0;
    int correctK = 0;
    double sumAbs = 0;
    double sumL2 = 0;
    double sumLinf = 0;
    float[] l2s = new float[n];
    float[] linfs = new float[n];
    boolean moved = false;
    // labels and top-1 classes for per-class accuracy in the report, when a byte holds a class
    boolean keepPredictions = model.classes() <= io.qrbench.result.Predictions.MAX_CLASSES;
    int[] labels = new int[keepPredictions ? n : 0];
    int[] predicted = new int[keepPredictions ? n : 0];
    ExampleImages examples =
        new ExampleImages(Metrics.MAX_EXAMPLES); // the first, whatever the batch size
    java.util.Map<String, Double> extra = new java.util.TreeMap<>();
    long start = System.nanoTime();
    for (int from = 0; from < n; from += batchSize) {
      int count = Math.min(batchSize, n - from);
      try (NDManager bm = model.manager().newSubManager()) {
        NDArray[] xy = batches.load(bm, null, from, count);
        CraftedImages.Batch stored =
            crafted == null ? null : crafted.load(from, xy[0].getShape(), bm);
        NDArray perturbed;
        if (stored != null) {
          perturbed = stored.images();
          stored.sums().forEach((key, v) -> extra.merge(key, v, Double::sum));
        } else {
          java.util.Map<String, Double> sums = new java.util.TreeMap<>();
          Context ctx = new Context(xy[0], xy[1], from, levelSeed, attacked.get(), bm, sums);
          perturbed = apply(perturbation, config, ctx);
          if (!perturbed.getShape().equals(xy[0].getShape())) {
            throw new QrbenchException(
                "perturbation '"
                    + perturbation.id()
                    + "' returned shape "
                    + perturbed.getShape()
                    + " for a batch of shape "
                    + xy[0].getShape());
          }
          sums.forEach((key, v) -> extra.merge(key, v, Double::sum));
          if (crafted != null) {
            crafted.store(from, perturbed, sums);
          }
        }
        NDArray logits = model.logits(perturbed);
        NDArray topK = logits.argSort(1, false).get(":, :" + k);
        NDArray hits = topK.eq(xy[1].toType(DataType.INT64, false).expandDims(1));
        boolean[] first = hits.get(":, 0").toBooleanArray();
        if (keepPredictions) {
          long[] top = topK.get(":, 0").toLongArray();
          long[] truth = xy[1].toType(DataType.INT64, false).toLongArray();
          for (int i = 0; i < count; i++) {
            predicted[from + i] = (int) top[i];
            labels[from + i] = (int) truth[i];
          }
        }
        examples.add(perturbed);
        boolean[] any =
            hits.toType(DataType.INT32, false).sum(new int[] {1}).gt(0).toBooleanArray();
        for (int i = 0; i < count; i++) {
          if (first[i]) {
            outcomes.set(from + i);
            correct1++;
          }
          if (any[i]) {
            correctK++;
          }
        }
        if (perturbed != xy[0]) {
          NDArray d = perturbed.sub(xy[0]).abs().reshape(count, -1);
          sumAbs += sum(d.mean(new int[] {1}).toFloatArray());
          float[] l2 = d.square().sum(new int[] {1}).sqrt().toFloatArray();
          float[] linf = d.max(new int[] {1}).toFloatArray();
          sumL2 += sum(l2);
          sumLinf += sum(linf);
          System.arraycopy(l2, 0, l2s, from, count);
          System.arraycopy(linf, 0, linfs, from, count);
          moved = true;
        }
      }
      imagesDone.accept(count);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    java.util.Map<String, Double> measured = means(extra, n);
    if (moved) { // minimal perturbations are skewed: the report shows their median beside the mean
      measured.put(Metrics.MEDIAN_L2, median(l2s));
      measured.put(Metrics.MEDIAN_LINF, median(linfs));
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
        keepPredictions ? io.qrbench.result.Predictions.of(labels, predicted) : null,
        examples.pngs());
  }

  /** The median, the mean of the middle two for an even count. */
  static double median(float[] v) {
    float[] s = v.clone();
    java.util.Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : ((double) s[m - 1] + s[m]) / 2;
  }

  private static java.util.Map<String, Double> means(java.util.Map<String, Double> sums, int n) {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    sums.forEach((k, v) -> out.put(k, v / n));
    return out;
  }

  private static double sum(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return s;
  }

  private static <C extends Record> NDArray apply(
      Perturbation<C> p, Record config, PerturbationContext ctx) {
    return p.apply(p.configType().cast(config), ctx);
  }

  /** The images as they are. */
  private enum Clean implements Perturbation<io.qrbench.spi.EmptyConfig> {
    INSTANCE;

    @Override
    public String id() {
      return "none";
    }

    @Override
    public String description() {
      return "clean images";
    }

    @Override
    public Class<io.qrbench.spi.EmptyConfig> configType() {
      return io.qrbench.spi.EmptyConfig.class;
    }

    @Override
    public NDArray apply(io.qrbench.spi.EmptyConfig config, PerturbationContext context) {
      return context.images();
    }
  }

  private record Context(
      NDArray images,
      NDArray labels,
      int firstIndex,
      long levelSeed,
      ModelUnderTest model,
      NDManager manager,
      java.util.Map<String, Double> sums)
      implements PerturbationContext {
    @Override
    public long seed(int i) {
      return ImageSeeds.imageSeed(levelSeed, (long) firstIndex + i);
    }

    @Override
    public void record(String metric, float[] perImage) {
      if (perImage.length != batchSize()) {
        throw new IllegalArgumentException(
            "'" + metric + "' has " + perImage.length + " values for " + batchSize() + " images");
      }
      sums.merge(metric, sum(perImage), Double::sum);
    }
  }
}
