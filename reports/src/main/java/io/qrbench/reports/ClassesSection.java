package io.qrbench.reports;

import io.qrbench.result.CaseResult;
import io.qrbench.result.Predictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code classes} section: per-class top-1 on clean images for every model, and each model's
 * confusion matrix as a heat map. A quantizer can cost one class far more than the mean suggests
 * (two similar classes merging), which only a per-class view shows.
 */
final class ClassesSection {
  private static final List<String> CIFAR10 =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
  private static final List<String> FASHION_MNIST =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private ClassesSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "classes", "Per-class accuracy");
    Map<String, Predictions> clean = cleanPredictions(r);
    if (clean.isEmpty()) {
      h.el(
              "p",
              "No clean case recorded per-image predictions (results written by an older qrbench, or a "
                  + "dataset of more than 256 classes), so there is no per-class view.",
              "class",
              "empty")
          .nl();
      h.close("section").nl();
      return;
    }
    int classes = 0;
    for (Predictions p : clean.values()) {
      for (int i = 0; i < p.size(); i++) {
        classes = Math.max(classes, Math.max(p.label(i), p.predicted(i)) + 1);
      }
    }
    List<String> names = names(r, classes);
    h.el(
            "p",
            "Top-1 on clean images, class by class (percent of the images of that class); below, each "
                + "model\u2019s confusion matrix: rows are true classes, columns predicted ones, shaded by "
                + "the share of the row.",
            "class",
            "note")
        .nl();
    accuracyTable(h, r, clean, names);
    for (Map.Entry<String, Predictions> e : clean.entrySet()) {
      confusion(h, r, e.getKey(), e.getValue(), names);
    }
    h.close("section").nl();
  }

  /** Each model's predictions on its clean case, in suite order, where they were recorded. */
  static Map<String, Predictions> cleanPredictions(ReportContext r) {
    Map<String, Predictions> out = new LinkedHashMap<>();
    CaseGrid.Row row = r.grid().clean();
    if (row == null) {
      return out;
    }
    for (String m : r.grid().models()) {
      CaseResult c = r.grid().cell(row, m);
      if (CaseGrid.ok(c) && c.metrics().predictions() != null) {
        out.put(m, c.metrics().predictions());
      }
    }
    return out;
  }

  /** The dataset's class names where qrbench knows them, else the class numbers. */
  private static List<String> names(ReportContext r, int classes) {
    String dataset = r.result().suite() == null ? null : r.result().suite().dataset();
    List<String> known =
        "cifar10".equals(dataset)
            ? CIFAR10
            : "fashion-mnist".equals(dataset) ? FASHION_MNIST : List.of();
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add(c < known.size() ? known.get(c) : Integer.toString(c));
    }
    return names;
  }

  /** Per-class accuracy, {@code [class][0]} right and {@code [class][1]} images. */
  static int[][] perClass(Predictions p, int classes) {
    int[][] counts = new int[classes][2];
    for (int i = 0; i < p.size(); i++) {
      counts[p.label(i)][1]++;
      counts[p.label(i)][0] += p.label(i) == p.predicted(i) ? 1 : 0;
    }
    return counts;
  }

  private static void accuracyTable(
      Html h, ReportContext r, Map<String, Predictions> clean, List<String> names) {
    h.open("div", "class", "scroll")
        .open("table", "id", "class-accuracy", "class", "data")
        .nl()
        .open("thead")
        .open("tr");
    h.el("th", "Class", "scope", "col");
    h.el("th", "Images", "class", "num", "scope", "col");
    for (String m : clean.keySet()) {
      h.open(
          "th", "class", "num model-head m" + r.grid().colour(m), "scope", "col", "data-model", m);
      HtmlPage.swatch(h, r, m);
      h.text(m).close("th");
    }
    h.close("tr").close("thead").nl().open("tbody").nl();
    Map<String, int[][]> counts = new LinkedHashMap<>();
    clean.forEach((m, p) -> counts.put(m, perClass(p, names.size())));
    int[][] first = counts.values().iterator().next();
    for (int c = 0; c < names.size(); c++) {
      h.open("tr", "class", "class-row", "data-class", Integer.toString(c));
      h.el("th", names.get(c), "scope", "row");
      h.el("td", Fmt.count(first[c][1]), "class", "num");
      for (Map.Entry<String, int[][]> e : counts.entrySet()) {
        int[] k = e.getValue()[c];
        double acc = k[1] == 0 ? Double.NaN : 100.0 * k[0] / k[1];
        h.el(
            "td",
            k[1] == 0 ? Fmt.DASH : Fmt.pct(acc),
            "class",
            "num acc",
            "data-model",
            e.getKey(),
            "data-value",
            k[1] == 0 ? null : Fmt.exact(acc),
            "style",
            k[1] == 0 ? null : "--acc:" + Fmt.fixed(acc, 1) + "%",
            "title",
            k[0] + " of " + k[1]);
      }
      h.close("tr").nl();
    }
    h.close("tbody").close("table").close("div").nl();
  }

  private static void confusion(
      Html h, ReportContext r, String model, Predictions p, List<String> names) {
    int k = names.size();
    int[][] m = new int[k][k];
    int[] rows = new int[k];
    for (int i = 0; i < p.size(); i++) {
      m[p.label(i)][p.predicted(i)]++;
      rows[p.label(i)]++;
    }
    h.open("details", "class", "confusion", "data-model", model, "open", "").nl();
    h.open("summary");
    HtmlPage.swatch(h, r, model);
    h.text(model + ": confusion matrix on clean images").close("summary").nl();
    h.open("div", "class", "scroll")
        .open("table", "class", "data confusion-matrix", "data-model", model)
        .nl()
        .open("thead")
        .open("tr");
    h.el("th", "true \u2193 predicted \u2192", "scope", "col");
    for (String n : names) {
      h.el("th", n, "class", "num", "scope", "col");
    }
    h.close("tr").close("thead").nl().open("tbody").nl();
    for (int t = 0; t < k; t++) {
      h.open("tr").el("th", names.get(t), "scope", "row");
      for (int q = 0; q < k; q++) {
        double share = rows[t] == 0 ? 0 : (double) m[t][q] / rows[t];
        h.el(
            "td",
            Integer.toString(m[t][q]),
            "class",
            t == q ? "num heat diagonal" : "num heat",
            "data-true",
            Integer.toString(t),
            "data-predicted",
            Integer.toString(q),
            "style",
            "--heat:" + Fmt.fixed(100 * share, 1) + "%");
      }
      h.close("tr").nl();
    }
    h.close("tbody").close("table").close("div").nl();
    h.close("details").nl();
  }
}
