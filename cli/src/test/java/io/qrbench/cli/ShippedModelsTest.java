package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.CaseResult;
import io.qrbench.result.RunResult;
import io.qrbench.spi.DataFile;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.PluginKind;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.ConfigMaps;
import io.qrbench.testing.MachineRequirement;
import io.qrbench.weights.WeightsFile;
import io.qrbench.weights.WeightsMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model shipped under {@code models/} evaluated clean on all 10,000 CIFAR-10 test images by
 * {@code qrbench run}: each reproduces, image for image, the top-1 and top-5 its metadata records
 * (training's own test evaluation), and a packed file the numbers of the weights it was packed
 * from. CI fetches CIFAR-10 first and fails this test without it; elsewhere missing data skips it
 * with the reason ({@link MachineRequirement}).
 */
class ShippedModelsTest {
  static final Path MODELS = Path.of("..", "models");
  private static final Pattern PACKED_FROM = Pattern.compile("^post-training (\\S+) of (\\S+)$");

  @TempDir Path dir;

  /** A shipped weights file and the clean numbers it must reproduce. */
  record Shipped(
      String name, Path file, WeightsMetadata meta, double top1, double top5, String from) {}

  @Test
  void everyShippedModelReproducesItsRecordedCleanAccuracyOnTheFullTestSet() throws IOException {
    requireCifar10();
    List<Shipped> shipped = shipped();
    assertFalse(shipped.isEmpty(), "no weights under " + MODELS.toAbsolutePath());
    Path suite = Files.writeString(dir.resolve("shipped.yaml"), suite(shipped));
    long start = System.nanoTime();
    CliRunner r = CliRunner.run("run", suite.toString(), "--out", dir.resolve("run").toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, r.exitCode(), r::toString);
    RunResult result = ResultsJson.read(dir.resolve("run/results.json"));
    Map<String, CaseResult> cases =
        result.cases().stream().collect(Collectors.toMap(CaseResult::model, c -> c));
    List<String> wrong = new ArrayList<>();
    for (Shipped s : shipped) {
      CaseResult c = cases.get(s.name());
      System.out.printf(
          "ShippedModelsTest: %s: top-1 %.2f%%, %.0f img/s%n",
          s.file(), c.metrics().top1(), c.metrics().imagesPerSecond());
      assertEquals(10_000, c.metrics().images(), "the full test set");
      long top1 = Math.round(s.top1() * 100);
      long top5 = Math.round(s.top5() * 100);
      if (c.metrics().correct1() != top1 || c.metrics().correct5() != top5) {
        wrong.add(
            s.file()
                + ": "
                + c.metrics().correct1()
                + " / "
                + c.metrics().correct5()
                + " of 10,000 right (top-1 / top-5), "
                + s.from()
                + " records "
                + s.top1()
                + "% / "
                + s.top5()
                + "% ("
                + top1
                + " / "
                + top5
                + ")");
      }
    }
    System.out.printf(
        "ShippedModelsTest: %d weights files, 10,000 images each, evaluated in %.0f s%n",
        shipped.size(), seconds);
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /**
   * Skips visibly (fails in CI) when CIFAR-10 is not in the data cache; fails when it is there but
   * corrupt.
   */
  /** Goes on when CIFAR-10's test batch is cached and verified (see the class comment). */
  static void requireCifar10() {
    DatasetProvider<?> cifar =
        PluginRegistry.discover().get(PluginKind.DATASET, "cifar10", DatasetProvider.class);
    Optional<DataFile> test =
        files(cifar).stream().filter(f -> f.name().equals("test_batch.bin")).findFirst();
    if (test.isPresent() && test.get().present() && !test.get().verified()) {
      fail(
          test.get().path()
              + " fails its MD5 check; delete it and run 'bin/qrbench data fetch cifar10'");
    }
    MachineRequirement.require(
        test.isPresent() && test.get().verified(),
        "CIFAR-10 is not in the qrbench data cache ("
            + test.map(f -> f.path().toString()).orElse("test_batch.bin")
            + ")",
        "run 'bin/qrbench data fetch cifar10' to test the shipped models");
  }

  private static <C extends Record> List<DataFile> files(DatasetProvider<C> p) {
    return p.files(ConfigMaps.defaults(p.configType(), p.id()));
  }

  /** Every weights file under models/ with the numbers it must reproduce. */
  static List<Shipped> shipped() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(MODELS, 2)) {
      files =
          s.filter(p -> p.toString().endsWith(".params") || p.toString().endsWith(".qrbq"))
              .sorted()
              .toList();
    }
    List<Shipped> out = new ArrayList<>();
    for (Path f : files) {
      assertTrue(Files.isRegularFile(WeightsFile.sidecar(f)), "shipped without its metadata: " + f);
      WeightsMetadata meta = WeightsFile.readMetadata(f);
      String name = f.getFileName().toString().replace('.', '-');
      if (meta.testTop1() != null) {
        out.add(new Shipped(name, f, meta, meta.testTop1(), meta.testTop5(), "its metadata"));
        continue;
      }
      // a packed file records no accuracy: it is the quantized model of the weights it was packed
      // from
      Matcher m = PACKED_FROM.matcher(meta.notes() == null ? "" : meta.notes());
      assertTrue(
          m.matches(),
          f + " records no test top-1 and does not say what it was packed from: " + meta.notes());
      Path source = f.resolveSibling(m.group(2));
      WeightsMetadata from = WeightsFile.readMetadata(source);
      assertEquals(
          meta.quantizer(),
          from.quantizer(),
          f + " was packed under another quantizer than " + source + " trained with");
      assertEquals(
          meta.quantizerConfig(),
          from.quantizerConfig(),
          f + ": quantizer settings differ from " + source);
      out.add(
          new Shipped(
              name,
              f,
              meta,
              from.testTop1(),
              from.testTop5(),
              source.getFileName() + "'s metadata"));
    }
    return out;
  }

  /**
   * One suite evaluating every file clean, each under the quantizer and settings it was made with.
   */
  private static String suite(List<Shipped> shipped) {
    StringBuilder sb =
        new StringBuilder(
            """
        name: shipped-models
        dataset: {id: cifar10, split: test, download: false}
        perturbations: [none]
        reports: [json]
        models:
        """);
    for (Shipped s : shipped) {
      sb.append("  - name: ")
          .append(s.name())
          .append('\n')
          .append("    model: ")
          .append(flow(s.meta().architecture(), s.meta().modelConfig()))
          .append('\n')
          .append("    quantizer: ")
          .append(flow(s.meta().quantizer(), s.meta().quantizerConfig()))
          .append('\n')
          .append("    weights: ")
          .append(s.file().toAbsolutePath().normalize())
          .append('\n');
    }
    return sb.toString();
  }

  /** {@code {id: x, key: value, ...}}, with lists as YAML flow sequences. */
  private static String flow(String id, Map<String, Object> config) {
    StringBuilder sb = new StringBuilder("{id: ").append(id);
    if (config != null) {
      config.forEach((k, v) -> sb.append(", ").append(k).append(": ").append(v));
    }
    return sb.append('}').toString();
  }
}
