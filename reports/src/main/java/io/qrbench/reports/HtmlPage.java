package io.qrbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The page around the sections: head with inlined CSS, navigation, footer, inlined script. */
final class HtmlPage {
  private HtmlPage() {}

  static String render(ReportContext r) {
    Html h = new Html();
    String name = r.result().suite() == null ? "qrbench run" : r.result().suite().name();
    h.raw("<!DOCTYPE html>").nl();
    h.open("html", "lang", "en").nl().open("head").nl();
    h.empty("meta", "charset", "utf-8").nl();
    h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1").nl();
    h.empty("meta", "name", "color-scheme", "content", "light dark").nl();
    h.empty("meta", "name", "generator", "content", "qrbench " + version(r)).nl();
    // an empty icon: no request for /favicon.ico, so no console error when served
    h.empty("link", "rel", "icon", "href", "data:,").nl();
    h.el("title", name + " \u2014 qrbench report").nl();
    h.open("style").raw(asset("report.css")).close("style").nl();
    h.close("head").nl();
    h.open("body").nl();
    nav(h, name, r.result().models().stream().anyMatch(m -> m.deployedFrom() != null));
    h.open("main").nl();
    SummarySection.render(h, r);
    ScoresSection.render(h, r);
    StudySection.render(h, r);
    CurvesSection.render(h, r);
    MinimalSection.render(h, r);
    ClassesSection.render(h, r);
    ExamplesSection.render(h, r);
    DiagnosticsSection.render(h, r);
    ModelsSection.render(h, r);
    DeploymentSection.render(h, r);
    SpeedSection.render(h, r);
    ChecksSection.render(h, r);
    ComparisonsSection.render(h, r);
    ManifestSection.render(h, r);
    h.close("main").nl();
    h.open("footer")
        .text(
            "Written by qrbench "
                + version(r)
                + " from "
                + (r.result().suite() == null
                    ? "results"
                    : Fmt.or(r.relative(r.result().suite().file())))
                + ".")
        .close("footer")
        .nl();
    h.open("script").raw(asset("report.js")).close("script").nl();
    h.close("body").nl().close("html").nl();
    return h.toString();
  }

  /** Opens a section with its heading; the caller closes it. */
  static void section(Html h, String id, String title) {
    h.open("section", "id", id, "aria-labelledby", id + "-title").nl();
    h.el("h2", title, "id", id + "-title").nl();
  }

  /** A small coloured square that ties a model name to its lines in the charts. */
  static void swatch(Html h, ReportContext r, String model) {
    h.open("span", "class", "swatch m" + r.grid().colour(model), "aria-hidden", "true")
        .close("span");
  }

  private static void nav(Html h, String name, boolean deployments) {
    h.open("header", "class", "top").open("nav", "aria-label", "sections");
    h.el("span", name, "class", "brand");
    String[][] links = {
      {"summary", "Summary"},
      {"scores", "Scores"},
      {"study", "Study"},
      {"curves", "Curves"},
      {"minimal", "Minimal"},
      {"classes", "Classes"},
      {"examples", "Examples"},
      {"diagnostics", "Diagnostics"},
      {"models", "Models"},
      {"speed", "Speed"},
      {"checks", "Checks"},
      {"comparisons", "Comparisons"},
      {"manifest", "Manifest"}
    };
    for (String[] l : links) {
      h.el("a", l[1], "href", "#" + l[0]);
      if (deployments && l[0].equals("models")) { // the section is there only when one is
        h.el("a", "Deployment", "href", "#deployment");
      }
    }
    h.close("nav").close("header").nl();
  }

  private static String version(ReportContext r) {
    return r.result().environment() == null
        ? ""
        : Fmt.or(r.result().environment().qrbenchVersion());
  }

  private static String asset(String name) {
    try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("report asset " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
