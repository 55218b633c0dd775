package io.qrbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import io.qrbench.weights.WeightsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * qrbench's PGD step against a bare DJL forward and backward pass, alternating on the same batch
 * (issue 23): each invocation runs one of each, in an order that swaps every invocation, so that
 * whatever else slows the machine slows both alike. The qrbench side is the {@code pgd} plugin with
 * one step and no random start, applied as a case applies it: {@code lossGradient} (forward, the
 * loss terms in double precision in Java, backward), the sign step, the projection onto the ball
 * and [0,1], each step's arrays freed with its manager. The bare side is what a DJL user writes:
 * the input marked for a gradient, the block's forward pass under a gradient collector, DJL's
 * softmax cross-entropy, backward, the input gradient read back. Both use the shipped
 * full-precision ResNet-20 ({@code models/resnet20-fp}, random weights when run elsewhere) and the
 * first {@value #BATCH} test images.
 *
 * <p>JMH's score is milliseconds per pair. The trial ends with the median, quartiles and range of
 * the pairs' ratios (qrbench / bare) over the measurement iterations: the figure in the README.
 * Each pair's two sides run back to back, so the machine's drift, which on a shared 2-core machine
 * moves a whole iteration's time by a third, cancels in the ratio. With other than 2 warm-up
 * iterations, pass {@code -Dqrbench.bench.warmup=N} through {@code -jvmArgsAppend} as well.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 8, time = 5)
@Fork(1)
public class PgdStepBench {
  static final int BATCH = 128;

  static {
    Harness.configureEngine();
  }

  private LoadedModel model;
  private NDManager batchManager;
  private NDArray images;
  private NDArray labels;
  private PluginConfig pgd;
  private long invocation;
  private boolean measuring;
  private int iteration;
  private long qrbenchNanos;
  private long bareNanos;
  private final List<Double> pairRatios = new ArrayList<>();
  private final List<Double> qrbenchMs = new ArrayList<>();
  private final List<Double> bareMs = new ArrayList<>();

  @Setup(Level.Trial)
  public void prepare() {
    PluginConfig fp32 = Harness.plugin(PluginKind.QUANTIZER, "fp32");
    model = Harness.unquantized(20, fp32);
    Path weights = Path.of("models/resnet20-fp/resnet20-fp.params");
    if (Files.isRegularFile(weights)) {
      model.freeze(false);
      WeightsFile.load(model.block(), model.manager(), weights);
    }
    model.freeze(true);
    model.cacheKernels(true);
    batchManager = model.manager().newSubManager();
    NDArray[] xy = Harness.batch(Harness.testImages(), batchManager, BATCH);
    images = xy[0];
    labels = xy[1];
    // 2/255, one step of 1/255 from the clean image: a step of PGD as the study runs it
    pgd =
        Harness.plugin(
            PluginKind.PERTURBATION,
            "{id: pgd, epsilon: 0.0078431, step: 0.0039216, steps: 1, random-start: false}");
  }

  @Setup(Level.Iteration)
  public void resetIteration() {
    // the first iterations are JMH's warm-up (2 by default, -wi): their pairs are not kept
    measuring = iteration++ >= warmupIterations();
  }

  /** One qrbench PGD step and one bare forward+backward pass, in alternating order. */
  @Benchmark
  public float pair() {
    boolean qrbenchFirst = (invocation++ & 1) == 0;
    qrbenchNanos = 0;
    bareNanos = 0;
    float a = qrbenchFirst ? timedQrbench() : timedBare();
    float b = qrbenchFirst ? timedBare() : timedQrbench();
    if (measuring) {
      pairRatios.add((double) qrbenchNanos / bareNanos);
      qrbenchMs.add(qrbenchNanos / 1e6);
      bareMs.add(bareNanos / 1e6);
    }
    return a + b;
  }

  @TearDown(Level.Trial)
  public void close() {
    if (!pairRatios.isEmpty()) {
      System.out.printf(
          "%nqrbench PGD step / bare DJL forward+backward over %d measured pairs: median of the"
              + " pairs' ratios %.3f, quartiles [%.3f, %.3f], range [%.3f, %.3f]; median ms"
              + " per call %.1f (qrbench) vs %.1f (bare)%n",
          pairRatios.size(),
          quantile(pairRatios, 0.5),
          quantile(pairRatios, 0.25),
          quantile(pairRatios, 0.75),
          quantile(pairRatios, 0),
          quantile(pairRatios, 1),
          quantile(qrbenchMs, 0.5),
          quantile(bareMs, 0.5));
    }
    batchManager.close();
    model.close();
  }

  /** The warm-up iterations JMH was asked for: {@code -wi N} on the command line, else 2. */
  private static int warmupIterations() {
    return Integer.getInteger("qrbench.bench.warmup", 2);
  }

  private static double quantile(List<Double> values, double q) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get((int) Math.round(q * (sorted.size() - 1)));
  }

  private float timedQrbench() {
    long t0 = System.nanoTime();
    float v = qrbenchStep();
    qrbenchNanos += System.nanoTime() - t0;
    return v;
  }

  private float timedBare() {
    long t0 = System.nanoTime();
    float v = bareStep();
    bareNanos += System.nanoTime() - t0;
    return v;
  }

  /** The pgd plugin's one step, as a case applies it, its arrays freed with the step. */
  float qrbenchStep() {
    try (NDManager step = batchManager.newSubManager()) {
      // the batch's arrays in the step's manager, as a case's are in its batch's: what the step
      // derives from them is freed with it
      NDArray out = apply(pgd.plugin(Perturbation.class), pgd.config(), new Batch(step));
      return out.getFloat(0, 0, 0, 0);
    }
  }

  /** {@code lossGradient} alone, the pgd step's forward and backward pass without the step. */
  float lossGradientOnly() {
    try (NDManager step = batchManager.newSubManager()) {
      Batch b = new Batch(step);
      return model.lossGradient(b.images(), b.labels()).direction().getFloat(0, 0, 0, 0);
    }
  }

  /**
   * The step taken apart, outside JMH: {@code rounds} rounds, each timing the bare pass, {@code
   * lossGradient} alone, the whole PGD step once and the whole step on the same model with {@code
   * fold-batchnorm} (a second copy of the weights, BatchNorm folded), in a rotating order, then the
   * medians of each round's ratios to the bare pass. {@code java -cp benchmarks.jar
   * io.qrbench.benchmarks.PgdStepBench [rounds (60)]}; {@code ... PgdStepBench profile [steps (5)]
   * [trace.json]} profiles the folded step instead ({@link #profile}).
   */
  public static void main(String[] args) throws java.io.IOException {
    if (args.length > 0 && args[0].equals("profile")) {
      profile(
          args.length > 1 ? Integer.parseInt(args[1]) : 5,
          Path.of(args.length > 2 ? args[2] : "pgd-step-trace.json"));
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    PgdStepBench b = new PgdStepBench();
    b.prepare();
    PgdStepBench folded = folded();
    for (int i = 0; i < 3; i++) { // warm-up
      b.bareStep();
      b.lossGradientOnly();
      b.qrbenchStep();
      folded.qrbenchStep();
    }
    List<Double> gradient = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    List<Double> fold = new ArrayList<>();
    List<Double> foldToStep = new ArrayList<>();
    List<Double> bareMs = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      long[] t = new long[4];
      for (int k = 0; k < 4; k++) {
        int side = (r + k) % 4;
        long t0 = System.nanoTime();
        switch (side) {
          case 0 -> b.bareStep();
          case 1 -> b.lossGradientOnly();
          case 2 -> b.qrbenchStep();
          default -> folded.qrbenchStep();
        }
        t[side] = System.nanoTime() - t0;
      }
      gradient.add((double) t[1] / t[0]);
      whole.add((double) t[2] / t[0]);
      fold.add((double) t[3] / t[0]);
      foldToStep.add((double) t[3] / t[2]);
      bareMs.add(t[0] / 1e6);
    }
    System.out.printf(
        "%d rounds, bare pass median %.1f ms: lossGradient / bare %.3f [%.3f, %.3f],"
            + " PGD step / bare %.3f [%.3f, %.3f], folded PGD step / bare %.3f [%.3f, %.3f],"
            + " folded / unfolded PGD step %.3f [%.3f, %.3f] (medians [quartiles])%n",
        rounds,
        quantile(bareMs, 0.5),
        quantile(gradient, 0.5),
        quantile(gradient, 0.25),
        quantile(gradient, 0.75),
        quantile(whole, 0.5),
        quantile(whole, 0.25),
        quantile(whole, 0.75),
        quantile(fold, 0.5),
        quantile(fold, 0.25),
        quantile(fold, 0.75),
        quantile(foldToStep, 0.5),
        quantile(foldToStep, 0.25),
        quantile(foldToStep, 0.75));
    for (PgdStepBench x : new PgdStepBench[] {b, folded}) {
      x.batchManager.close();
      x.model.close();
    }
  }

  /** A prepared copy whose model runs the folded forward pass ({@code fold-batchnorm}). */
  private static PgdStepBench folded() {
    PgdStepBench folded = new PgdStepBench();
    folded.prepare();
    folded.model.computeForwardWith(
        io.qrbench.export.FoldedForward.of(folded.model, folded.images));
    return folded;
  }

  /**
   * libtorch's own profiler over {@code steps} folded PGD steps (after three unprofiled ones): its
   * Chrome trace goes to {@code trace}, and each operator's self time per step (its time less that
   * of the operators it called, on the same thread) is printed, largest first: where a step's time
   * goes, operator by operator (docs/benchmarks.md).
   */
  static void profile(int steps, Path trace) throws java.io.IOException {
    PgdStepBench folded = folded();
    for (int i = 0; i < 3; i++) {
      folded.qrbenchStep();
    }
    profiler(
        "startProfile",
        new Class<?>[] {boolean.class, boolean.class, boolean.class},
        false,
        true,
        false);
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      folded.qrbenchStep();
    }
    double ms = (System.nanoTime() - t0) / 1e6 / steps;
    profiler("stopProfile", new Class<?>[] {String.class}, trace.toAbsolutePath().toString());
    folded.batchManager.close();
    folded.model.close();
    java.util.Map<String, double[]> self = selfTimes(trace);
    double total = self.values().stream().mapToDouble(v -> v[0]).sum();
    System.out.printf(
        "%d folded PGD steps, %.1f ms a step (profiled), operators' self time %.1f ms a step:%n",
        steps, ms, total / 1e3 / steps);
    self.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
        .limit(25)
        .forEach(
            e ->
                System.out.printf(
                    "%9.2f ms %6.1f calls  %s%n",
                    e.getValue()[0] / 1e3 / steps, e.getValue()[1] / steps, e.getKey()));
  }

  /**
   * Calls DJL's {@code JniUtils.method}: the PyTorch engine is on the run-time class path only, so
   * its profiler is called by name.
   */
  private static void profiler(String method, Class<?>[] types, Object... args) {
    try {
      Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod(method, types).invoke(null, args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("libtorch's profiler (DJL's JniUtils) is not reachable", e);
    }
  }

  /** Per operator name: total self time (microseconds) and calls, from a Chrome trace. */
  static java.util.Map<String, double[]> selfTimes(Path trace) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode root =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(trace.toFile());
    com.fasterxml.jackson.databind.JsonNode events =
        root.isArray() ? root : root.path("traceEvents");
    java.util.Map<String, List<Call>> byThread = new java.util.HashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode e : events) {
      if ("X".equals(e.path("ph").asText())) {
        byThread
            .computeIfAbsent(
                e.path("pid").asText() + "/" + e.path("tid").asText(), k -> new ArrayList<>())
            .add(
                new Call(
                    e.path("name").asText(), e.path("ts").asDouble(), e.path("dur").asDouble()));
      }
    }
    java.util.Map<String, double[]> out = new java.util.HashMap<>();
    for (List<Call> thread : byThread.values()) {
      // by start, the longer first: an enclosing call comes before the calls it makes
      thread.sort(
          java.util.Comparator.comparingDouble((Call c) -> c.start)
              .thenComparing(c -> -c.duration));
      java.util.ArrayDeque<Call> open = new java.util.ArrayDeque<>();
      for (Call c : thread) {
        while (!open.isEmpty() && open.peek().start + open.peek().duration <= c.start) {
          open.pop();
        }
        if (!open.isEmpty()) {
          open.peek().inCalls += c.duration;
        }
        open.push(c);
      }
      for (Call c : thread) {
        double[] sum = out.computeIfAbsent(c.name, k -> new double[2]);
        sum[0] += c.duration - c.inCalls;
        sum[1]++;
      }
    }
    return out;
  }

  /** One operator call of a trace, and the time spent in the calls it made. */
  private static final class Call {
    final String name;
    final double start;
    final double duration;
    double inCalls;

    Call(String name, double start, double duration) {
      this.name = name;
      this.start = start;
      this.duration = duration;
    }
  }

  /** The bare pass: forward under a gradient collector, softmax cross-entropy, backward. */
  float bareStep() {
    try (NDManager step = batchManager.newSubManager()) {
      NDArray x = images.duplicate();
      x.attach(step);
      NDArray y = labels.duplicate();
      y.attach(step);
      x.setRequiresGradient(true);
      try (GradientCollector gc = step.getEngine().newGradientCollector()) {
        NDArray logits =
            model
                .block()
                .forward(new ParameterStore(step, false), new NDList(x), false)
                .singletonOrThrow();
        NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits));
        gc.backward(loss);
      }
      return x.getGradient().getFloat(0, 0, 0, 0);
    }
  }

  @SuppressWarnings("unchecked")
  private static <C extends Record> NDArray apply(
      Perturbation<C> p, Record config, PerturbationContext ctx) {
    return p.apply((C) config, ctx);
  }

  /** The batch as a case hands it to a perturbation. */
  private final class Batch implements PerturbationContext {
    private final NDManager manager;
    private final NDArray x;
    private final NDArray y;

    Batch(NDManager manager) {
      this.manager = manager;
      x = images.duplicate();
      x.attach(manager);
      y = labels.duplicate();
      y.attach(manager);
    }

    @Override
    public NDArray images() {
      return x;
    }

    @Override
    public NDArray labels() {
      return y;
    }

    @Override
    public int firstIndex() {
      return 0;
    }

    @Override
    public long seed(int i) {
      return i;
    }

    @Override
    public ModelUnderTest model() {
      return model;
    }

    @Override
    public NDManager manager() {
      return manager;
    }

    @Override
    public void record(String metric, float[] perImage) {}
  }
}
