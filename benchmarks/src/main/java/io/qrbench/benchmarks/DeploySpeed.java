package io.qrbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.export.OnnxExport;
import io.qrbench.model.Invoke;
import io.qrbench.model.LoadedModel;
import io.qrbench.nn.Layers;
import io.qrbench.runner.Export;
import io.qrbench.spi.ModelContext;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What deployment buys in speed: the shipped FP, TWN and TTQ ResNet-20 on PyTorch FP32 (how every
 * suite runs them), and exported to ONNX (FP32 and QDQ int8, {@code qrbench export}) on ONNX
 * Runtime, each through qrbench's own model handle ({@code LoadedModel.logits}: images in, logits
 * copied into Java). Batch-128 throughput and batch-1 median latency, in rounds that visit the nine
 * variants in turn (the order rotating each round), so that whatever else the machine does slows
 * them alike; ratios are taken within a round and reported as median and range over rounds.
 *
 * <pre>
 * java [-Dspinning=true] -cp benchmarks/target/benchmarks.jar io.qrbench.benchmarks.DeploySpeed [models folder (models)] [rounds (5)] [batch-128 passes per round (8)] [batch-1 calls per round (200)]
 * </pre>
 */
public final class DeploySpeed {
  private DeploySpeed() {}

  private record Variant(String model, String backend, LoadedModel m) {}

  private static final String[][] SHIPPED = {
    {"FP", "resnet20-fp/resnet20-fp.params", "fp32"},
    {"TWN", "resnet20-twn/resnet20-twn.qrbq", "{id: twn, delta: 0.7}"},
    {"TTQ", "resnet20-ttq/resnet20-ttq.qrbq", "{id: ttq, threshold: 0.2, granularity: channel}"},
  };

  public static void main(String[] args) throws Exception {
    Harness.configureEngine();
    Path models = Path.of(args.length > 0 ? args[0] : "models");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int calls = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    int threads = io.qrbench.runner.EnvironmentProbe.engineThreads(); // as suites pass them
    Path dir = Files.createTempDirectory("qrbench-deploy");
    PluginConfig resnet = Harness.resnetConfig(20);
    // -Dspinning=true: ONNX Runtime's workers spin-wait between runs (the README measures both)
    PluginConfig onnx =
        Harness.plugin(
            PluginKind.MODEL, "{id: onnx, spinning: " + Boolean.getBoolean("spinning") + "}");
    List<Variant> variants = new ArrayList<>();
    try {
      for (String[] s : SHIPPED) {
        PluginConfig q = Harness.plugin(PluginKind.QUANTIZER, s[2]);
        LoadedModel pt = Export.prepare(resnet, q, models.resolve(s[1]));
        variants.add(new Variant(s[0], "pytorch fp32", pt));
        for (OnnxExport.Precision p : OnnxExport.Precision.values()) {
          Path file = dir.resolve(s[0] + "-" + p.label() + ".onnx");
          OnnxExport.export(
              pt, q.id(), s[1], new OnnxExport.Options(p, 512, 128), Harness.trainImages(), file);
          LoadedModel m =
              new LoadedModel(
                  s[0] + " onnxruntime " + p.label(),
                  Harness.CIFAR,
                  Layers.plain(),
                  manager ->
                      Invoke.build(
                          onnx,
                          new ModelContext(
                              Harness.CIFAR, Layers.plain(), manager, Optional.of(file), threads)));
          variants.add(new Variant(s[0], "onnxruntime " + p.label(), m));
        }
      }
      System.out.printf(
          "%d variants, %d rounds of %d batch-128 passes and %d batch-1 calls each, %d threads%n",
          variants.size(), rounds, passes, calls, threads);
      int n = variants.size();
      double[][] throughput = new double[n][rounds];
      double[][] latency = new double[n][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < n; k++) {
          int v = (k + r) % n;
          double[] t = measure(variants.get(v).m(), passes, calls);
          throughput[v][r] = t[0];
          latency[v][r] = t[1];
        }
        System.out.printf("round %d done%n", r + 1);
      }
      System.out.printf(
          "%n%-5s %-18s %26s %24s %26s %24s%n",
          "model",
          "backend",
          "batch-128 images/s",
          "x pytorch fp32",
          "batch-1 p50 ms",
          "/ pytorch fp32");
      for (int v = 0; v < n; v++) {
        int base = v - v % 3; // the same model on PyTorch
        double[] up = new double[rounds];
        double[] down = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          up[r] = throughput[v][r] / throughput[base][r];
          down[r] = latency[v][r] / latency[base][r];
        }
        System.out.printf(
            "%-5s %-18s %26s %24s %26s %24s%n",
            variants.get(v).model(),
            variants.get(v).backend(),
            spread(throughput[v], "%.0f"),
            spread(up, "%.2f"),
            spread(latency[v], "%.3f"),
            spread(down, "%.2f"));
      }
    } finally {
      variants.forEach(v -> v.m().close());
    }
  }

  /** Median [min, max]. */
  private static String spread(double[] v, String f) {
    double[] s = v.clone();
    Arrays.sort(s);
    double median =
        s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    return String.format(f + " [" + f + ", " + f + "]", median, s[0], s[s.length - 1]);
  }

  /** Batch-128 images per second over {@code passes} passes, and batch-1 median milliseconds. */
  private static double[] measure(LoadedModel m, int passes, int calls) {
    try (NDManager bm = m.manager().newSubManager()) {
      NDArray x = Harness.batch(Harness.testImages(), bm, 128)[0];
      for (int i = 0; i < 2; i++) { // warm-up
        pass(m, x);
      }
      long total = 0;
      for (int i = 0; i < passes; i++) {
        total += pass(m, x);
      }
      double perSecond = 128.0 * passes / (total / 1e9);
      NDArray[] singles = new NDArray[128];
      for (int i = 0; i < 128; i++) {
        singles[i] = x.get(i).expandDims(0);
      }
      for (int i = 0; i < 20; i++) {
        pass(m, singles[i % 128]);
      }
      double[] ms = new double[calls];
      for (int i = 0; i < calls; i++) {
        ms[i] = pass(m, singles[i % 128]) / 1e6;
      }
      Arrays.sort(ms);
      return new double[] {perSecond, ms[calls / 2]};
    }
  }

  /** Nanoseconds from images handed over to logits in Java, as the suite's speed section times. */
  private static long pass(LoadedModel m, NDArray x) {
    try (NDManager step = x.getManager().newSubManager()) {
      NDArray in = x.duplicate();
      in.attach(step);
      long t0 = System.nanoTime();
      m.logits(in).toFloatArray();
      return System.nanoTime() - t0;
    }
  }
}
