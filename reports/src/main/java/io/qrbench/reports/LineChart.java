package io.qrbench.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * An accuracy-vs-level chart as inline SVG: top-1 (0-100) over a numeric x, one line per model.
 * Written by hand rather than by a charting library so the report has no dependency, is the same
 * bytes for the same results, prints as vectors, and every label passes through {@link Html#esc}.
 */
final class LineChart {
  /** Okabe-Ito colours, safe for colour-blind readers; CSS overrides them for dark mode. */
  static final String[] COLOURS = {
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6e6e6e", "#a6761d"
  };

  private static final int WIDTH = 440;
  private static final int HEIGHT = 290;
  private static final int LEFT = 52;
  private static final int RIGHT = WIDTH - 16;
  private static final int BOTTOM = HEIGHT - 46;
  private static final int INSET = 8;

  /**
   * One point; {@code y} null where the case failed or is missing, which breaks the line; {@code
   * low} and {@code high} its 95% confidence interval, null when unknown (no band there).
   */
  record Point(double x, Double y, String label, Double low, Double high) {
    Point(double x, Double y, String label) {
      this(x, y, label, null, null);
    }
  }

  /** One model's line. */
  record Series(String model, int colour, List<Point> points) {
    Series {
      points = List.copyOf(points);
    }
  }

  private LineChart() {}

  /**
   * Appends the chart.
   *
   * @param name the chart's {@code data-chart} value, the perturbation's name
   * @param title what the chart shows, its SVG title
   * @param xLabel the x axis label
   */
  static void render(Html h, String name, String title, String xLabel, List<Series> series) {
    render(h, name, title, xLabel, series, false);
  }

  /**
   * Appends the chart, its x ticks in units of 1/255 ({@code 4/255}) when {@code over255}: the
   * scale adversarial papers quote epsilon in, so a reader can match the axis to a paper's table.
   */
  static void render(
      Html h, String name, String title, String xLabel, List<Series> series, boolean over255) {
    double[] xs = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::x).toArray();
    double min = xs.length == 0 ? 0 : java.util.Arrays.stream(xs).min().getAsDouble();
    double max = xs.length == 0 ? 1 : java.util.Arrays.stream(xs).max().getAsDouble();
    Ticks xt = over255 ? Ticks.over255(min, max, 5) : Ticks.nice(min, max, 5);
    int top = 18 + 16 * legendRows(series) + 8;
    Scale sx = new Scale(xt.low(), xt.high(), LEFT + INSET, RIGHT - INSET);
    Scale sy = new Scale(0, 100, BOTTOM, top);

    String models = String.join(", ", series.stream().map(Series::model).toList());
    h.open(
            "svg",
            "class",
            "chart",
            "data-chart",
            name,
            "role",
            "img",
            "viewBox",
            "0 0 " + WIDTH + " " + HEIGHT,
            "aria-label",
            title + (models.isEmpty() ? "" : " (" + models + ")"))
        .nl();
    h.el("title", title).nl();
    grid(h, sy, xt, sx, top);
    axisLabels(h, xLabel, top);
    legend(h, series);
    for (Series s : series) { // bands first, so that no band hides another model's line
      band(h, s, sx, sy);
    }
    for (Series s : series) {
      line(h, s, sx, sy);
    }
    h.close("svg").nl();
  }

  private static void grid(Html h, Scale sy, Ticks xt, Scale sx, int top) {
    h.open("g", "class", "grid");
    for (int y = 0; y <= 100; y += 20) {
      String py = c(sy.map(y));
      h.empty("line", "x1", c(LEFT), "x2", c(RIGHT), "y1", py, "y2", py, "stroke", "#ddd");
      h.el(
          "text",
          Integer.toString(y),
          "class",
          "tick",
          "x",
          c(LEFT - 6),
          "y",
          c(sy.map(y) + 4),
          "text-anchor",
          "end");
    }
    h.close("g").nl();
    h.open("g", "class", "axis");
    h.empty(
        "line", "x1", c(LEFT), "x2", c(RIGHT), "y1", c(BOTTOM), "y2", c(BOTTOM), "stroke", "#888");
    h.empty("line", "x1", c(LEFT), "x2", c(LEFT), "y1", c(top), "y2", c(BOTTOM), "stroke", "#888");
    for (double x : xt.values()) {
      String px = c(sx.map(x));
      h.empty("line", "x1", px, "x2", px, "y1", c(BOTTOM), "y2", c(BOTTOM + 5), "stroke", "#888");
      h.el(
          "text",
          xt.label(x),
          "class",
          "tick",
          "x",
          px,
          "y",
          c(BOTTOM + 18),
          "text-anchor",
          "middle");
    }
    h.close("g").nl();
  }

  private static void axisLabels(Html h, String xLabel, int top) {
    h.el(
        "text",
        xLabel,
        "class",
        "axis-label",
        "x",
        c((LEFT + RIGHT) / 2.0),
        "y",
        c(HEIGHT - 8),
        "text-anchor",
        "middle");
    double mid = (top + BOTTOM) / 2.0;
    h.el(
            "text",
            "top-1 accuracy (%)",
            "class",
            "axis-label",
            "x",
            "14",
            "y",
            c(mid),
            "text-anchor",
            "middle",
            "transform",
            "rotate(-90 14 " + c(mid) + ")")
        .nl();
  }

  /** The legend sits above the plot, wrapping onto more rows when the model names are long. */
  private static void legend(Html h, List<Series> series) {
    double x = LEFT;
    double y = 14;
    for (Series s : series) {
      double w = itemWidth(s.model());
      if (x + w > RIGHT && x > LEFT) {
        x = LEFT;
        y += 16;
      }
      String colour = COLOURS[s.colour()];
      h.open(
          "g",
          "class",
          "legend-item m" + s.colour(),
          "data-model",
          s.model(),
          "transform",
          "translate(" + c(x) + " " + c(y) + ")");
      h.empty(
          "line",
          "x1",
          "0",
          "x2",
          "16",
          "y1",
          "-4",
          "y2",
          "-4",
          "stroke",
          colour,
          "stroke-width",
          "2.5");
      h.el("text", s.model(), "x", "21", "y", "0");
      h.close("g");
      x += w;
    }
    h.nl();
  }

  private static int legendRows(List<Series> series) {
    int rows = 1;
    double x = LEFT;
    for (Series s : series) {
      double w = itemWidth(s.model());
      if (x + w > RIGHT && x > LEFT) {
        rows++;
        x = LEFT;
      }
      x += w;
    }
    return rows;
  }

  private static double itemWidth(String model) {
    return 21 + 6.5 * model.length() + 14;
  }

  private static void line(Html h, Series s, Scale sx, Scale sy) {
    String colour = COLOURS[s.colour()];
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    List<Point> dots = new ArrayList<>();
    for (Point p : s.points()) {
      if (p.y() == null || !Double.isFinite(p.y())) {
        pen = false;
        continue;
      }
      d.append(pen ? 'L' : 'M')
          .append(c(sx.map(p.x())))
          .append(',')
          .append(c(sy.map(clamp(p.y()))));
      pen = true;
      dots.add(p);
    }
    h.open("g", "class", "series m" + s.colour(), "data-model", s.model());
    h.open(
            "path",
            "class",
            "line",
            "d",
            d.length() == 0 ? "M0,0" : d.toString(),
            "fill",
            "none",
            "stroke",
            colour,
            "stroke-width",
            "2")
        .el("title", s.model())
        .close("path");
    for (Point p : dots) {
      h.open(
              "circle",
              "class",
              "dot",
              "cx",
              c(sx.map(p.x())),
              "cy",
              c(sy.map(clamp(p.y()))),
              "r",
              "3.5",
              "fill",
              colour)
          .el("title", p.label())
          .close("circle");
    }
    h.close("g").nl();
  }

  /**
   * The shaded 95% interval around a model's line: one closed path per unbroken run of points with
   * an interval, along the upper bounds and back along the lower ones.
   */
  private static void band(Html h, Series s, Scale sx, Scale sy) {
    StringBuilder d = new StringBuilder();
    List<Point> run = new ArrayList<>();
    for (Point p : s.points()) {
      if (p.y() == null || p.low() == null || p.high() == null) {
        closeBand(d, run, sx, sy);
      } else {
        run.add(p);
      }
    }
    closeBand(d, run, sx, sy);
    if (d.length() == 0) {
      return;
    }
    h.open(
            "path",
            "class",
            "band m" + s.colour(),
            "data-model",
            s.model(),
            "d",
            d.toString(),
            "fill",
            COLOURS[s.colour()],
            "fill-opacity",
            "0.15",
            "stroke",
            "none")
        .el("title", s.model() + ": 95% Wilson interval of top-1")
        .close("path")
        .nl();
  }

  private static void closeBand(StringBuilder d, List<Point> run, Scale sx, Scale sy) {
    if (run.size() >= 2) {
      for (int i = 0; i < run.size(); i++) {
        Point p = run.get(i);
        d.append(i == 0 ? 'M' : 'L')
            .append(c(sx.map(p.x())))
            .append(',')
            .append(c(sy.map(clamp(p.high()))));
      }
      for (int i = run.size() - 1; i >= 0; i--) {
        Point p = run.get(i);
        d.append('L').append(c(sx.map(p.x()))).append(',').append(c(sy.map(clamp(p.low()))));
      }
      d.append('Z');
    }
    run.clear();
  }

  private static double clamp(double y) {
    return Math.max(0, Math.min(100, y));
  }

  /** A coordinate with one decimal; a non-finite one is a bug, never written. */
  private static String c(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalStateException("non-finite chart coordinate " + v);
    }
    return Fmt.fixed(v, 1);
  }

  /** Maps a data interval onto a pixel interval. */
  private record Scale(double d0, double d1, double p0, double p1) {
    double map(double v) {
      return d1 == d0 ? (p0 + p1) / 2 : p0 + (v - d0) / (d1 - d0) * (p1 - p0);
    }
  }

  /** Round tick values covering [low, high] ("nice numbers", Heckbert 1990). */
  record Ticks(double low, double high, double step, boolean over255) {
    Ticks(double low, double high, double step) {
      this(low, high, step, false);
    }

    /** Nice ticks counted in 1/255 steps (at least one), labelled {@code k/255}. */
    static Ticks over255(double min, double max, int count) {
      Ticks k = nice(min * 255, max * 255, count);
      double step = Math.max(1, k.step());
      double low = Math.max(0, Math.floor(k.low() / step + 1e-9) * step);
      double high = Math.ceil(k.high() / step - 1e-9) * step;
      return new Ticks(low / 255, high / 255, step / 255, true);
    }

    static Ticks nice(double min, double max, int count) {
      if (!(max > min)) {
        double pad = min == 0 ? 1 : Math.abs(min) / 2;
        min -= pad;
        max += pad;
      }
      double step = niceNumber(niceNumber(max - min, false) / (count - 1), true);
      return new Ticks(
          Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step, step);
    }

    List<Double> values() {
      List<Double> v = new ArrayList<>();
      long n = Math.round((high - low) / step);
      for (long i = 0; i <= n; i++) {
        v.add(low + i * step);
      }
      return v;
    }

    String label(double v) {
      if (over255) {
        long k = Math.round(v * 255);
        return k == 0 ? "0" : k + "/255";
      }
      int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
      return Fmt.fixed(Math.abs(v) < step * 1e-6 ? 0 : v, decimals);
    }

    private static double niceNumber(double range, boolean round) {
      double exponent = Math.floor(Math.log10(range));
      double fraction = range / Math.pow(10, exponent);
      double nice;
      if (round) {
        nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
      } else {
        nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
      }
      return nice * Math.pow(10, exponent);
    }
  }
}
