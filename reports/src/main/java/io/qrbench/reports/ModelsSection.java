package io.qrbench.reports;

import io.qrbench.result.ModelCost;
import io.qrbench.result.ModelResult;
import io.qrbench.result.QuantizationSummary;

/** The {@code models} section: what each model is and what it costs to store and run. */
final class ModelsSection {
  private ModelsSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "models", "Models");
    if (r.result().models().isEmpty()) {
      h.el("p", "No model details were recorded.", "class", "empty").nl();
      h.close("section").nl();
      return;
    }
    boolean costs = r.result().models().stream().anyMatch(m -> m.cost() != null);
    h.el(
            "p",
            "Sizes count the weight tensors the quantizer considered: FP32 at 4 bytes per weight, packed as the "
                + "quantizer stores them (codes plus scales)."
                + (costs
                    ? " MACs are multiply-accumulates per image; the "
                        + "low-bit share is the part whose weights are ternary or binary, which needs additions only."
                    : ""),
            "class",
            "note")
        .nl();
    h.open("div", "class", "scroll").open("table", "id", "models-table", "class", "data").nl();
    h.open("thead").open("tr");
    h.el("th", "Model", "scope", "col");
    h.el("th", "Architecture", "scope", "col");
    h.el("th", "Quantizer", "scope", "col");
    h.el("th", "Weights", "scope", "col");
    for (String col :
        new String[] {
          "Parameters", "FP32 size", "Packed size", "Compression", "Zeros", "Bits / weight"
        }) {
      h.el("th", col, "class", "num", "scope", "col");
    }
    if (costs) {
      h.el("th", "MACs / image", "class", "num", "scope", "col");
      h.el("th", "Low-bit MACs", "class", "num", "scope", "col");
    }
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (ModelResult m : r.result().models()) {
      row(h, r, m, costs);
    }
    h.close("tbody").close("table").close("div").nl();
    for (ModelResult m : r.result().models()) {
      layers(h, r, m);
    }
    h.close("section").nl();
  }

  /**
   * The quantizer's per-layer record, folded: which tensors it changed, at how many bits, how
   * sparse and how far from the full-precision weights; where a model lost accuracy, the layer with
   * the largest relative error is the first suspect.
   */
  private static void layers(Html h, ReportContext r, ModelResult m) {
    QuantizationSummary q = m.quantization();
    if (q == null || q.layers().isEmpty()) {
      return;
    }
    long quantized = q.layers().stream().filter(QuantizationSummary.Layer::quantized).count();
    h.open("details", "class", "layers", "data-model", m.name()).nl();
    h.open("summary");
    HtmlPage.swatch(h, r, m.name());
    h.text(
            m.name()
                + ": "
                + q.layers().size()
                + " weight tensors, "
                + quantized
                + " quantized by "
                + Fmt.or(m.quantizer()))
        .close("summary")
        .nl();
    h.open("div", "class", "scroll").open("table", "class", "data layers-table").nl();
    h.open("thead").open("tr");
    h.el("th", "Layer", "scope", "col");
    h.el("th", "Weights", "class", "num", "scope", "col");
    h.el("th", "Bits", "class", "num", "scope", "col", "title", "storage bits per weight");
    h.el("th", "Zeros", "class", "num", "scope", "col");
    h.el(
        "th",
        "Rel. error",
        "class",
        "num",
        "scope",
        "col",
        "title",
        "||W \u2212 Q(W)||\u00b2 / ||W||\u00b2");
    h.el("th", "Packed", "class", "num", "scope", "col");
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (QuantizationSummary.Layer l : q.layers()) {
      h.open("tr", "class", l.quantized() ? "layer-row" : "layer-row full-precision");
      h.el("th", l.name(), "scope", "row", "class", "path");
      h.el(
          "td",
          Fmt.count(l.parameters()),
          "class",
          "num",
          "data-value",
          Long.toString(l.parameters()));
      h.el(
          "td",
          Fmt.fixed(l.bitsPerWeight(), 2),
          "class",
          "num",
          "data-value",
          Fmt.exact(l.bitsPerWeight()));
      h.el(
          "td",
          Fmt.pct(100 * l.zeroFraction()) + "%",
          "class",
          "num",
          "data-value",
          Fmt.exact(l.zeroFraction()));
      h.el(
          "td",
          Fmt.fixed(l.relativeError(), 4),
          "class",
          "num",
          "data-value",
          Fmt.exact(l.relativeError()));
      h.el(
          "td",
          Fmt.bytes(l.packedBytes()),
          "class",
          "num",
          "data-value",
          Long.toString(l.packedBytes()));
      h.close("tr").nl();
    }
    h.close("tbody").close("table").close("div").nl();
    h.close("details").nl();
  }

  private static void row(Html h, ReportContext r, ModelResult m, boolean costs) {
    h.open("tr", "class", "model-row", "data-model", m.name());
    h.open("th", "scope", "row");
    HtmlPage.swatch(h, r, m.name());
    h.text(m.name()).close("th");
    h.el("td", Fmt.or(m.model()));
    h.el("td", Fmt.or(m.quantizer()));
    h.el("td", Fmt.or(r.relative(m.weights())), "class", "path");
    h.el(
        "td",
        Fmt.count(m.parameters()),
        "class",
        "num",
        "data-value",
        Long.toString(m.parameters()));
    QuantizationSummary q = m.quantization();
    if (q == null || q.layers().isEmpty()) {
      for (int i = 0; i < 5; i++) {
        h.el("td", Fmt.DASH, "class", "num");
      }
    } else {
      h.el(
          "td",
          Fmt.bytes(q.fp32Bytes()),
          "class",
          "num",
          "data-value",
          Long.toString(q.fp32Bytes()));
      h.el(
          "td",
          Fmt.bytes(q.packedBytes()),
          "class",
          "num",
          "data-value",
          Long.toString(q.packedBytes()));
      double ratio = q.packedBytes() == 0 ? Double.NaN : (double) q.fp32Bytes() / q.packedBytes();
      h.el(
          "td",
          Double.isFinite(ratio) ? Fmt.fixed(ratio, 1) + "\u00d7" : Fmt.DASH,
          "class",
          "num",
          "data-value",
          Double.isFinite(ratio) ? Fmt.exact(ratio) : null);
      h.el(
          "td",
          Fmt.pct(100 * q.zeroFraction()) + "%",
          "class",
          "num",
          "data-value",
          Fmt.exact(q.zeroFraction()));
      h.el(
          "td",
          Fmt.fixed(q.bitsPerWeight(), 2),
          "class",
          "num",
          "data-value",
          Fmt.exact(q.bitsPerWeight()));
    }
    if (costs) {
      ModelCost c = m.cost();
      h.el(
          "td",
          c == null ? Fmt.DASH : Fmt.si(c.macs()),
          "class",
          "num",
          "data-value",
          c == null ? null : Long.toString(c.macs()));
      h.el(
          "td",
          c == null ? Fmt.DASH : Fmt.pct(100 * c.lowBitMacShare()) + "%",
          "class",
          "num",
          "data-value",
          c == null ? null : Fmt.exact(c.lowBitMacShare()));
    }
    h.close("tr").nl();
  }
}
