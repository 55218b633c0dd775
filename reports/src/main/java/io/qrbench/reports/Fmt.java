package io.qrbench.reports;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Number formats for human-facing reports; always {@link Locale#ROOT}, so output never depends on
 * the host.
 */
final class Fmt {
  static final String DASH = "\u2014";
  static final String MINUS = "\u2212";

  private Fmt() {}

  /** A percentage or percentage-point value with one decimal: {@code 81.4}. */
  static String pct(double v) {
    return fixed(v, 1);
  }

  /** A signed difference with one decimal and a true minus sign: {@code +0.3}, {@code −1.2}. */
  static String signed(double v) {
    String s = fixed(Math.abs(v), 1);
    if (s.equals("0.0")) {
      return "0.0";
    }
    return (v < 0 ? MINUS : "+") + s;
  }

  /** {@code v} with {@code decimals} decimals, NaN and infinities spelled out. */
  static String fixed(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A count with thousands separators: {@code 269,722}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * The shortest decimal that reads back as {@code v}, never in E notation; for data attributes and
   * CSV.
   */
  static String exact(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** A p-value: three significant digits, E notation below 0.001. */
  static String p(double p) {
    if (p == 0) {
      return "< 1e-300";
    }
    if (p >= 0.001) {
      return String.format(Locale.ROOT, "%.3g", p);
    }
    return String.format(Locale.ROOT, "%.2e", p);
  }

  /** Bytes in binary units: {@code 1.03 MiB}. */
  static String bytes(long n) {
    if (n < 0) {
      return DASH;
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0
        ? n + " B"
        : String.format(
            Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  /** A large count in SI units: {@code 40.6 M}. */
  static String si(long n) {
    if (Math.abs(n) < 10_000) {
      return Long.toString(n);
    }
    String[] units = {"k", "M", "G", "T"};
    double v = n;
    int u = -1;
    while (Math.abs(v) >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** Seconds as {@code 8 min 26 s}, {@code 3.2 s} or {@code 1 h 02 min}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return DASH;
    }
    if (seconds < 60) {
      return fixed(seconds, 1) + " s";
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return (s / 60) + " min " + String.format(Locale.ROOT, "%02d", s % 60) + " s";
    }
    return (s / 3600) + " h " + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + " min";
  }

  /**
   * An epsilon as adversarial-robustness papers write it, {@code 8/255}, when it is k/255 for a
   * whole k in 1..255 to four significant digits (so a suite's {@code 0.03137} reads as {@code
   * 8/255}); null otherwise, and the caller keeps the decimal.
   */
  static String over255(double v) {
    if (!Double.isFinite(v) || v <= 0 || v > 1) {
      return null;
    }
    long k = Math.round(v * 255);
    if (k < 1 || k > 255) {
      return null;
    }
    String given = String.format(Locale.ROOT, "%.4g", v);
    String fraction = String.format(Locale.ROOT, "%.4g", k / 255.0);
    return given.equals(fraction) ? k + "/255" : null;
  }

  /**
   * True for a swept key that holds an epsilon ({@code epsilon}, {@code eps}, {@code l2-epsilon}).
   */
  static boolean isEpsilon(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.equals("eps") || k.endsWith("epsilon") || k.endsWith("-eps");
  }

  /**
   * A level for display: {@code key=value} pairs as swept, with an epsilon that is k/255 written so
   * ({@code epsilon=8/255}); a level without typed values keeps its label.
   */
  static String level(io.qrbench.result.Level level) {
    if (level.values().isEmpty()) {
      return level.label();
    }
    StringBuilder b = new StringBuilder();
    boolean changed = false;
    for (java.util.Map.Entry<String, Object> e : level.values().entrySet()) {
      String shown = null;
      if (isEpsilon(e.getKey()) && e.getValue() instanceof Number n) {
        shown = over255(n.doubleValue());
      }
      changed |= shown != null;
      b.append(b.length() == 0 ? "" : ",")
          .append(e.getKey())
          .append('=')
          .append(shown == null ? e.getValue() : shown);
    }
    return changed ? b.toString() : level.label(); // the suite's own spelling where nothing changed
  }

  /** {@code s}, or a dash when null or blank. */
  static String or(Object s) {
    return s == null || s.toString().isBlank() ? DASH : s.toString();
  }
}
