package io.qrbench.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qrbench.QrbenchException;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.result.Metrics;
import io.qrbench.result.Outcomes;
import io.qrbench.result.UnitPartial;
import io.qrbench.spi.ImageDataset;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    // one path for whole runs and shards: a whole run is one range of all images
    return UnitPartial.metrics(
        List.of(evaluate(model, attacked, perturbation, config, levelSeed, crafted, 0, n)), n);
  }

  /**
   * Evaluates the images {@code [from, to)} only, keeping what {@link UnitPartial#metrics} needs to
   * make the case's metrics from its ranges exactly. {@code from} must be a multiple of the batch
   * size and {@code to} one too or the number of images: the batches, and so the images' seeds and
   * the engine's arithmetic, are then those of a whole run.
   *
   * @throws IllegalArgumentException when the range is not batch-aligned
   */
  public UnitPartial evaluate(
      LoadedModel model,
      java.util.function.Supplier<LoadedModel> attacked,
      Perturbation<?> perturbation,
      Record config,
      long levelSeed,
      CraftedImages crafted,
      int from,
      int to) {
    int n = data.size();
    if (from < 0
        || to > n
        || from >= to
        || from % batchSize != 0
        || (to % batchSize != 0 && to != n)) {
      throw new IllegalArgumentException(
          "images ["
              + from
              + ", "
              + to
              + ") are not a batch-aligned range of "
              + n
              + " images in batches of "
              + batchSize);
    }
    int k = Math.min(5, model.classes());
    Batches batches = new Batches(data, batchSize);
    BitSet outcomes = new BitSet(n);
    int correct1 = 0;
    int correctK = 0;
    List<UnitPartial.BatchSums> sums = new ArrayList<>();
    float[] l2s = new float[to - from];
    float[] linfs = new float[to - from];
    boolean moved = false;
    // labels and top-1 classes for per-class accuracy in the report, when a byte holds a class
    boolean keepPredictions = model.classes() <= io.qrbench.result.Predictions.MAX_CLASSES;
    int[] labels = new int[keepPredictions ? to - from : 0];
    int[] predicted = new int[keepPredictions ? to - from : 0];
    // the case's first images, whatever the batch size: kept by the range that starts the case
    ExampleImages examples = new ExampleImages(from == 0 ? Metrics.MAX_EXAMPLES : 0);
    long start = System.nanoTime();
    for (int first = from; first < to; first += batchSize) {
      int count = Math.min(batchSize, to - first);
      try (NDManager bm = model.manager().newSubManager()) {
        NDArray[] xy = batches.load(bm, null, first, count);
        CraftedImages.Batch stored =
            crafted == null ? null : crafted.load(first, xy[0].getShape(), bm);
        NDArray perturbed;
        Map<String, Double> extra;
        if (stored != null) {
          perturbed = stored.images();
          extra = stored.sums();
        } else {
          extra = new TreeMap<>();
          Context ctx = new Context(xy[0], xy[1], first, levelSeed, attacked.get(), bm, extra);
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
          if (crafted != null) {
            crafted.store(first, perturbed, extra);
          }
        }
        NDArray logits = model.logits(perturbed);
        NDArray topK = logits.argSort(1, false).get(":, :" + k);
        NDArray hits = topK.eq(xy[1].toType(DataType.INT64, false).expandDims(1));
        boolean[] top = hits.get(":, 0").toBooleanArray();
        if (keepPredictions) {
          long[] classes = topK.get(":, 0").toLongArray();
          long[] truth = xy[1].toType(DataType.INT64, false).toLongArray();
          for (int i = 0; i < count; i++) {
            predicted[first - from + i] = (int) classes[i];
            labels[first - from + i] = (int) truth[i];
          }
        }
        examples.add(perturbed);
        boolean[] any =
            hits.toType(DataType.INT32, false).sum(new int[] {1}).gt(0).toBooleanArray();
        for (int i = 0; i < count; i++) {
          if (top[i]) {
            outcomes.set(first + i);
            correct1++;
          }
          if (any[i]) {
            correctK++;
          }
        }
        double abs = 0;
        double l2sum = 0;
        double linfSum = 0;
        if (perturbed != xy[0]) {
          NDArray d = perturbed.sub(xy[0]).abs().reshape(count, -1);
          abs = sum(d.mean(new int[] {1}).toFloatArray());
          float[] l2 = d.square().sum(new int[] {1}).sqrt().toFloatArray();
          float[] linf = d.max(new int[] {1}).toFloatArray();
          l2sum = sum(l2);
          linfSum = sum(linf);
          System.arraycopy(l2, 0, l2s, first - from, count);
          System.arraycopy(linf, 0, linfs, first - from, count);
          moved = true;
          extra = withNormalisedSizes(extra, model, perturbed, xy[0], count);
        }
        sums.add(new UnitPartial.BatchSums(abs, l2sum, linfSum, extra));
      }
      imagesDone.accept(count);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new UnitPartial(
        from,
        to,
        correct1,
        correctK,
        Outcomes.of(outcomes),
        sums,
        moved ? l2s : null,
        moved ? linfs : null,
        seconds, // PNGs are encoded after the timing: ImageIO's first use is slow
        keepPredictions ? io.qrbench.result.Predictions.of(labels, predicted) : null,
        examples.pngs());
  }

  /**
   * {@code extra} and the batch's sums of mean |d| / std, ||d / std||_2 and max |d| / std: the
   * sizes in the model's normalised units, for a model that exposes its standardisation (else
   * {@code extra} as it is). A new map: {@code extra} may be a transfer attack's stored one.
   */
  private static Map<String, Double> withNormalisedSizes(
      Map<String, Double> extra, LoadedModel model, NDArray perturbed, NDArray clean, int count) {
    java.util.Optional<ModelUnderTest.Standardisation> st = model.standardisation();
    long channels = clean.getShape().dimension() == 4 ? clean.getShape().get(1) : -1;
    if (st.isEmpty() || st.get().std().length != channels) {
      return extra;
    }
    float[] std = st.get().std();
    NDArray s = clean.getManager().create(std, new ai.djl.ndarray.types.Shape(1, std.length, 1, 1));
    NDArray dn = perturbed.sub(clean).abs().div(s).reshape(count, -1);
    Map<String, Double> out = new TreeMap<>(extra);
    out.merge(Metrics.MEAN_ABS_NORMALISED, sum(dn.mean(new int[] {1}).toFloatArray()), Double::sum);
    out.merge(
        Metrics.MEAN_L2_NORMALISED,
        sum(dn.square().sum(new int[] {1}).sqrt().toFloatArray()),
        Double::sum);
    out.merge(Metrics.MEAN_LINF_NORMALISED, sum(dn.max(new int[] {1}).toFloatArray()), Double::sum);
    return out;
  }

  /** The median, the mean of the middle two for an even count. */
  static double median(float[] v) {
    return UnitPartial.median(v);
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
