package io.qrbench.reports;

import java.util.List;
import java.util.Map;

/** The {@code diagnostics} section: {@link MaskingDiagnostics}' verdicts, model by model. */
final class DiagnosticsSection {
  private DiagnosticsSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "diagnostics", "Gradient-masking diagnostics");
    Map<String, List<MaskingDiagnostics.Finding>> all = MaskingDiagnostics.of(r.result());
    h.el(
            "p",
            "The checks of Athalye, Carlini and Wagner (ICML 2018) for gradients that hide a model from attacks "
                + "rather than robustness: a red flag gives the numbers behind it; a difference counts when it exceeds "
                + MaskingDiagnostics.Z
                + " standard errors.",
            "class",
            "note")
        .nl();
    for (Map.Entry<String, List<MaskingDiagnostics.Finding>> e : all.entrySet()) {
      h.open("div", "class", "diagnostics-model", "data-model", e.getKey());
      h.open("h3");
      HtmlPage.swatch(h, r, e.getKey());
      h.text(e.getKey()).close("h3").nl();
      h.open("ul").nl();
      for (MaskingDiagnostics.Finding f : e.getValue()) {
        String cls =
            switch (f.status()) {
              case FLAG -> "diagnostic flag";
              case PASS -> "diagnostic pass";
              case NOT_CHECKED -> "diagnostic unchecked";
            };
        String mark =
            switch (f.status()) {
              case FLAG -> "\u2691 ";
              case PASS -> "\u2713 ";
              case NOT_CHECKED -> "\u2013 ";
            };
        h.open(
            "li", "class", cls, "data-check", f.check().name().toLowerCase(java.util.Locale.ROOT));
        h.el("strong", mark + f.check().title + ": ");
        h.text(f.text()).close("li").nl();
      }
      h.close("ul").close("div").nl();
    }
    if (all.isEmpty()) {
      h.el("p", "The run has no models.", "class", "empty").nl();
    }
    h.close("section").nl();
  }
}
