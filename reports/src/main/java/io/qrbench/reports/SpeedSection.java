package io.qrbench.reports;

import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.SpeedMetric;
import io.qrbench.result.SpeedResult;

/**
 * The {@code speed} section: latency percentiles, throughput and memory per model and batch size.
 */
final class SpeedSection {
  /** The table's columns after the model, in order. */
  private static final java.util.List<SpeedMetric> COLUMNS =
      java.util.List.of(
          SpeedMetric.BATCH_SIZE,
          SpeedMetric.THREADS,
          SpeedMetric.ITERATIONS,
          SpeedMetric.P50_MS,
          SpeedMetric.P90_MS,
          SpeedMetric.P99_MS,
          SpeedMetric.IMAGES_PER_SECOND,
          SpeedMetric.PEAK_RSS_BYTES,
          SpeedMetric.LOAD_SECONDS);

  private static final java.util.List<SpeedMetric> PERCENTILES =
      java.util.List.of(SpeedMetric.P50_MS, SpeedMetric.P90_MS, SpeedMetric.P99_MS);

  private SpeedSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "speed", "Speed");
    if (r.result().speed().isEmpty()) {
      h.el("p", "Speed was not measured: the suite has no speed section.", "class", "empty").nl();
      h.close("section").nl();
      return;
    }
    h.open("div", "class", "side-by-side").nl();
    h.open("div", "class", "scroll").open("table", "id", "speed-table", "class", "data").nl();
    h.open("thead").open("tr");
    h.el("th", "Model", "scope", "col");
    h.el("th", "Backend", "scope", "col");
    for (SpeedMetric col : COLUMNS) {
      h.el("th", col.label(), "class", "num", "scope", "col");
    }
    h.close("tr").close("thead").nl().open("tbody").nl();
    java.util.Map<String, String> backends = CsvReportWriter.backends(r.result());
    for (SpeedResult s : r.result().speed()) {
      h.open(
          "tr",
          "class",
          "speed-row",
          "data-model",
          s.model(),
          "data-batch",
          Integer.toString(s.batchSize()));
      h.open("th", "scope", "row");
      HtmlPage.swatch(h, r, s.model());
      h.text(s.model()).close("th");
      // where the numbers come from: PyTorch simulating quantization in float32, or a deployed int8
      h.el("td", backends.getOrDefault(s.model(), Fmt.DASH), "class", "backend");
      num(h, Integer.toString(s.batchSize()), s.batchSize());
      num(h, Integer.toString(s.threads()), s.threads());
      h.el("td", s.iterations() + " (+" + s.warmup() + " warm-up)", "class", "num");
      for (SpeedMetric p : PERCENTILES) {
        num(h, Fmt.fixed(p.value(s), p.decimals()), p.value(s));
      }
      num(
          h,
          Fmt.fixed(s.imagesPerSecond(), SpeedMetric.IMAGES_PER_SECOND.decimals())
              + " \u00b1 "
              + Fmt.fixed(s.imagesPerSecondStd(), SpeedMetric.IMAGES_PER_SECOND_STD.decimals()),
          s.imagesPerSecond());
      h.el(
          "td",
          s.peakRssBytes() < 0 ? Fmt.DASH : Fmt.bytes(s.peakRssBytes()),
          "class",
          "num",
          "data-value",
          s.peakRssBytes() < 0 ? null : Long.toString(s.peakRssBytes()));
      num(h, Fmt.fixed(s.loadSeconds(), SpeedMetric.LOAD_SECONDS.decimals()), s.loadSeconds());
      h.close("tr").nl();
    }
    h.close("tbody").close("table").close("div").nl();
    environment(h, r.result().environment());
    h.close("div").nl();
    h.close("section").nl();
  }

  private static void num(Html h, String shown, double value) {
    h.el("td", shown, "class", "num", "data-value", Fmt.exact(value));
  }

  private static void environment(Html h, EnvironmentInfo env) {
    h.open("dl", "class", "facts compact", "id", "speed-environment");
    h.el("dt", "CPU").el("dd", env == null ? Fmt.DASH : Fmt.or(env.cpu()));
    h.el("dt", "Cores").el("dd", env == null ? Fmt.DASH : Integer.toString(env.cores()));
    h.el("dt", "Engine threads")
        .el(
            "dd",
            env == null || env.threads() == null ? "engine default" : env.threads().toString());
    h.close("dl").nl();
  }
}
