package io.qrbench.reports;

import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.SpeedResult;

/** The {@code speed} section: latency percentiles, throughput and memory per model and batch size. */
final class SpeedSection {
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
    for (String col : new String[] {"Batch", "Threads", "Iterations", "p50 (ms)", "p90 (ms)", "p99 (ms)",
        "Images / s", "Peak memory", "Load (s)"}) {
      h.el("th", col, "class", "num", "scope", "col");
    }
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (SpeedResult s : r.result().speed()) {
      h.open("tr", "class", "speed-row", "data-model", s.model(), "data-batch", Integer.toString(s.batchSize()));
      h.open("th", "scope", "row");
      HtmlPage.swatch(h, r, s.model());
      h.text(s.model()).close("th");
      num(h, Integer.toString(s.batchSize()), s.batchSize());
      num(h, Integer.toString(s.threads()), s.threads());
      h.el("td", s.iterations() + " (+" + s.warmup() + " warm-up)", "class", "num");
      num(h, Fmt.fixed(s.p50Ms(), 2), s.p50Ms());
      num(h, Fmt.fixed(s.p90Ms(), 2), s.p90Ms());
      num(h, Fmt.fixed(s.p99Ms(), 2), s.p99Ms());
      num(h, Fmt.fixed(s.imagesPerSecond(), 1) + " \u00b1 " + Fmt.fixed(s.imagesPerSecondStd(), 1),
          s.imagesPerSecond());
      h.el("td", s.peakRssBytes() < 0 ? Fmt.DASH : Fmt.bytes(s.peakRssBytes()), "class", "num", "data-value",
          s.peakRssBytes() < 0 ? null : Long.toString(s.peakRssBytes()));
      num(h, Fmt.fixed(s.loadSeconds(), 2), s.loadSeconds());
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
    h.el("dt", "Engine threads").el("dd", env == null || env.threads() == null ? "engine default"
        : env.threads().toString());
    h.close("dl").nl();
  }
}
