package io.qrbench.reports.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhResultsTest {
  @TempDir Path dir;

  private static Path sample() throws URISyntaxException {
    return Path.of(JmhResultsTest.class.getResource("sample-jmh.json").toURI());
  }

  @Test
  void readsBenchmarksParamsScoresAndUnits() throws Exception {
    List<JmhResults.Row> rows = JmhResults.read(sample());
    assertEquals(3, rows.size());
    JmhResults.Row first = rows.get(0);
    assertEquals("io.qrbench.benchmarks.ForwardBench.forward", first.benchmark());
    assertEquals("ForwardBench.forward", first.shortName());
    assertEquals("thrpt", first.mode());
    assertEquals(Map.of("batch", "128", "quantizer", "fp32"), first.params());
    assertEquals(
        List.of("batch", "quantizer"), List.copyOf(first.params().keySet()), "JMH's order is kept");
    assertEquals(3.2512345, first.score());
    assertEquals(0.1234567, first.scoreError());
    assertEquals("ops/s", first.unit());
    assertTrue(
        Double.isNaN(rows.get(1).scoreError()),
        "JMH writes \"NaN\" when one iteration gives no error");
    assertEquals(Map.of("quantizer", "ttq"), rows.get(2).params());
  }

  @Test
  void textTableAlignsColumnsWithAColumnPerParameter() throws Exception {
    String text = JmhResults.toText(JmhResults.read(sample()));
    assertEquals(
        String.join(
            "\n",
            "Benchmark                Mode  batch  quantizer   Score    Error  Units",
            "ForwardBench.forward    thrpt    128       fp32   3.251  ± 0.123  ops/s",
            "ForwardBench.forward    thrpt    128        twn   3.000           ops/s",
            "QuantizeBench.quantize   avgt               ttq  12.500  ± 0.500  ms/op",
            ""),
        text);
    List<String> lines = text.lines().toList();
    assertEquals(lines.get(0).indexOf("Units"), lines.get(3).indexOf("ms/op"), "units line up");
  }

  @Test
  void markdownTableRightAlignsNumbers() throws Exception {
    String md = JmhResults.toMarkdown(JmhResults.read(sample()));
    List<String> lines = md.lines().toList();
    assertEquals("| Benchmark | Mode | batch | quantizer | Score | Error | Units |", lines.get(0));
    assertEquals("| --- | --- | ---: | ---: | ---: | ---: | --- |", lines.get(1));
    assertEquals(
        "| ForwardBench.forward | thrpt | 128 | fp32 | 3.251 | ± 0.123 | ops/s |", lines.get(2));
    assertEquals(
        "| QuantizeBench.quantize | avgt |  | ttq | 12.500 | ± 0.500 | ms/op |", lines.get(4));
    assertEquals(5, lines.size());
  }

  @Test
  void aFileThatIsNotJmhOutputIsNamedInTheError() throws IOException {
    Path notJson = Files.writeString(dir.resolve("a.json"), "{not json");
    ConfigException e = assertThrows(ConfigException.class, () -> JmhResults.read(notJson));
    assertTrue(
        e.getMessage().startsWith(notJson + ": not a readable JMH result file"), e.getMessage());
    Path object = Files.writeString(dir.resolve("b.json"), "{\"schema\": \"qrbench-results/1\"}");
    e = assertThrows(ConfigException.class, () -> JmhResults.read(object));
    assertTrue(e.getMessage().contains("a list of benchmarks"), e.getMessage());
    Path noMetric = Files.writeString(dir.resolve("c.json"), "[{\"benchmark\": \"x.Y.z\"}]");
    e = assertThrows(ConfigException.class, () -> JmhResults.read(noMetric));
    assertTrue(
        e.getMessage().contains("entry 0 has no 'benchmark' name or no 'primaryMetric'"),
        e.getMessage());
  }

  @Test
  void readsRealJmhOutputWithItsAuxiliaryCounters() throws Exception {
    // a short run of ForwardBench (-f 1 -wi 1 -i 1 -w 1s -r 1s): its numbers mean nothing
    Path real = Path.of(JmhResultsTest.class.getResource("real-jmh-forward.json").toURI());
    List<JmhResults.Row> rows = JmhResults.read(real);
    assertEquals(30, rows.size(), "3 batch sizes x 5 quantizers, each with its images/s counter");
    JmhResults.Row batches = rows.get(0);
    JmhResults.Row images = rows.get(1);
    assertEquals("ForwardBench.forward", batches.shortName());
    assertEquals("ForwardBench.forward:images", images.shortName());
    assertEquals(Map.of("batch", "1", "depth", "20", "quantizer", "fp32"), batches.params());
    assertEquals("ops/s", batches.unit());
    assertTrue(batches.score() > 0 && Double.isNaN(batches.scoreError()), batches.toString());
    JmhResults.Row big =
        rows.stream()
            .filter(r -> r.shortName().endsWith(":images") && r.params().get("batch").equals("128"))
            .findFirst()
            .orElseThrow();
    JmhResults.Row bigBatches = rows.get(rows.indexOf(big) - 1);
    assertEquals(
        128 * bigBatches.score(), big.score(), 1e-6 * big.score(), "images/s = batch x batches/s");
    String md = JmhResults.toMarkdown(rows);
    assertTrue(
        md.startsWith("| Benchmark | Mode | batch | depth | quantizer | Score | Error | Units |\n"),
        md);
    assertEquals(32, md.lines().count());
  }
}
