package io.qrbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.qrbench.result.CaseResult;
import io.qrbench.result.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gradient-masking checks of Athalye, Carlini and Wagner ("Obfuscated gradients give a false
 * sense of security", ICML 2018, section 3.1), per model, from finished results: a model whose
 * gradients are masked (rounded weights, flat losses) looks robust to gradient attacks only.
 *
 * <ol>
 *   <li>{@link Check#BLACK_BOX}: a black-box (square) or transfer attack leaves fewer images right
 *       than the strongest white-box attack at the same norm and epsilon;
 *   <li>{@link Check#MONOTONE}: accuracy rises as an attack's epsilon grows;
 *   <li>{@link Check#LARGE_EPSILON}: the strongest iterative L-infinity attack leaves accuracy
 *       above chance at epsilon 64/255 or more (or, when the suite has none, at its largest
 *       epsilon);
 *   <li>{@link Check#MORE_EFFORT}: of two cases of one attack at one epsilon, the one with more
 *       steps, restarts or queries leaves fewer images right (the attack had not converged).
 * </ol>
 *
 * <p>"Beyond sampling error" means a difference of more than {@value #Z} standard errors of the
 * difference of two independent binomial proportions: the cases share their images, so this
 * overstates the error and a flag is conservative.
 */
final class MaskingDiagnostics {
  private MaskingDiagnostics() {}

  /** Standard errors a difference must exceed to count (about 95% two-sided). */
  static final double Z = 2.0;

  /** The epsilon from which an L-infinity ball is "very large": a quarter of the pixel range. */
  static final double LARGE = 64 / 255.0;

  private static final Set<String> WHITE_BOX = Set.of("fgsm", "bim", "pgd", "apgd");
  private static final Set<String> ITERATIVE = Set.of("bim", "pgd", "apgd", "square", "autoattack");
  private static final Set<String> L_INF_ONLY = Set.of("fgsm", "bim", "minimal");

  /**
   * Settings that make an attack try harder, and their defaults where a suite may leave them out.
   */
  private static final List<String> EFFORT = List.of("steps", "restarts", "queries");

  private static final Map<String, Map<String, Double>> DEFAULT_EFFORT =
      Map.of(
          "pgd", Map.of("steps", 10.0, "restarts", 1.0),
          "bim", Map.of("steps", 10.0),
          "apgd", Map.of("steps", 100.0, "restarts", 1.0),
          "square", Map.of("queries", 5000.0));

  enum Check {
    BLACK_BOX("black-box or transfer stronger than white-box"),
    MONOTONE("accuracy falls as epsilon grows"),
    LARGE_EPSILON("accuracy at chance at a very large epsilon"),
    MORE_EFFORT("more steps or restarts no longer lower accuracy");

    final String title;

    Check(String title) {
      this.title = title;
    }
  }

  enum Status {
    FLAG,
    PASS,
    NOT_CHECKED
  }

  /** One check's verdict for one model, with the numbers behind it. */
  record Finding(Check check, Status status, String text) {}

  /** An attack case as the checks see it. */
  private record Attack(
      CaseResult c,
      String id,
      String norm,
      double epsilon,
      Map<String, Double> effort,
      boolean transfer) {
    /** True when the suite gave the epsilon, so that cases of one perturbation form a sweep. */
    boolean swept() {
      return c.params() != null && c.params().containsKey("epsilon")
          || c.level() != null && c.level().values().containsKey("epsilon");
    }

    double accuracy() {
      return c.metrics().top1();
    }

    int images() {
      return c.metrics().images();
    }

    String label() {
      return c.perturbation() + " (" + Fmt.pct(accuracy()) + "%)";
    }
  }

  /** Every model's findings, in the results' model order. */
  static Map<String, List<Finding>> of(RunResult r) {
    Map<String, List<Finding>> out = new LinkedHashMap<>();
    List<String> models = new ArrayList<>();
    r.models().forEach(m -> models.add(m.name()));
    r.cases()
        .forEach(
            c -> {
              if (!models.contains(c.model())) {
                models.add(c.model());
              }
            });
    Map<String, String> sources = sources(r);
    for (String m : models) {
      List<Attack> attacks =
          r.cases().stream()
              .filter(c -> c.model().equals(m) && c.ok() && c.metrics() != null)
              .map(c -> attack(c, sources, models))
              .filter(a -> a != null)
              .toList();
      out.put(
          m,
          List.of(
              blackBox(attacks),
              monotone(attacks),
              largeEpsilon(attacks, knownClasses(r)),
              moreEffort(attacks)));
    }
    return out;
  }

  /**
   * Two accuracies (percent) of n1 and n2 images differ beyond sampling error when a - b exceeds
   * this.
   */
  static double margin(double a, int n1, double b, int n2) {
    double p = a / 100;
    double q = b / 100;
    return 100 * Z * Math.sqrt(p * (1 - p) / n1 + q * (1 - q) / n2);
  }

  /** True when accuracy {@code low} is below {@code high} by more than sampling error. */
  private static boolean below(Attack low, Attack high) {
    double d = high.accuracy() - low.accuracy();
    return d > 0 && d > margin(low.accuracy(), low.images(), high.accuracy(), high.images());
  }

  private static Finding blackBox(List<Attack> attacks) {
    List<String> flags = new ArrayList<>();
    int pairs = 0;
    for (Attack b : attacks) {
      if (!b.transfer() && !b.id().equals("square")) {
        continue;
      }
      Attack white =
          attacks.stream()
              .filter(w -> !w.transfer() && WHITE_BOX.contains(w.id()) && same(w, b))
              .min(Comparator.comparingDouble(Attack::accuracy))
              .orElse(null);
      if (white == null) {
        continue;
      }
      pairs++;
      if (below(b, white)) {
        flags.add(b.label() + " < " + white.label() + " at " + eps(b));
      }
    }
    if (!flags.isEmpty()) {
      return new Finding(
          Check.BLACK_BOX,
          Status.FLAG,
          String.join("; ", flags)
              + ": an attack without this model's gradients does better than one with them");
    }
    if (pairs == 0) {
      return new Finding(
          Check.BLACK_BOX,
          Status.NOT_CHECKED,
          "not checked: the suite has no black-box (square) or "
              + "transfer attack at a norm and epsilon where a white-box attack (fgsm, bim, pgd, apgd) also ran");
    }
    return new Finding(
        Check.BLACK_BOX,
        Status.PASS,
        "checked "
            + pairs
            + " black-box or transfer case(s): none beats "
            + "the strongest white-box attack at its epsilon beyond sampling error");
  }

  private static Finding monotone(List<Attack> attacks) {
    Map<String, List<Attack>> sweeps = new LinkedHashMap<>();
    for (Attack a : attacks) {
      if (a.swept()) {
        sweeps.computeIfAbsent(a.c().perturbation(), k -> new ArrayList<>()).add(a);
      }
    }
    List<String> flags = new ArrayList<>();
    int checked = 0;
    for (List<Attack> sweep : sweeps.values()) {
      if (sweep.size() < 2) {
        continue;
      }
      checked++;
      List<Attack> sorted =
          sweep.stream().sorted(Comparator.comparingDouble(Attack::epsilon)).toList();
      for (int i = 0; i < sorted.size(); i++) {
        for (int j = i + 1; j < sorted.size(); j++) {
          Attack small = sorted.get(i);
          Attack large = sorted.get(j);
          if (large.epsilon() > small.epsilon() && below(small, large)) {
            flags.add(
                small.c().perturbation()
                    + ": "
                    + Fmt.pct(large.accuracy())
                    + "% at "
                    + eps(large)
                    + " > "
                    + Fmt.pct(small.accuracy())
                    + "% at "
                    + eps(small));
          }
        }
      }
    }
    if (!flags.isEmpty()) {
      return new Finding(
          Check.MONOTONE,
          Status.FLAG,
          String.join("; ", flags)
              + ": a larger ball contains the smaller one, so a working attack cannot do worse in it");
    }
    if (checked == 0) {
      return new Finding(
          Check.MONOTONE,
          Status.NOT_CHECKED,
          "not checked: the suite has no attack swept over two or more epsilons");
    }
    return new Finding(
        Check.MONOTONE,
        Status.PASS,
        "checked "
            + checked
            + " epsilon sweep(s): accuracy never rises "
            + "with epsilon beyond sampling error");
  }

  private static Finding largeEpsilon(List<Attack> attacks, boolean known) {
    int classes = 10;
    List<Attack> linf =
        attacks.stream()
            .filter(a -> !a.transfer() && ITERATIVE.contains(a.id()) && a.norm().equals("linf"))
            .toList();
    if (linf.isEmpty()) {
      return new Finding(
          Check.LARGE_EPSILON,
          Status.NOT_CHECKED,
          "not checked: the suite has no iterative L\u221e attack (bim, pgd, apgd, square, autoattack)");
    }
    boolean large = linf.stream().anyMatch(a -> a.epsilon() >= LARGE - 1e-9);
    double top = linf.stream().mapToDouble(Attack::epsilon).max().orElseThrow();
    List<Attack> at =
        linf.stream()
            .filter(a -> large ? a.epsilon() >= LARGE - 1e-9 : a.epsilon() == top)
            .toList();
    Attack strongest = at.stream().min(Comparator.comparingDouble(Attack::accuracy)).orElseThrow();
    double chance = 100.0 / classes;
    double p = chance / 100;
    double limit = chance + 100 * Z * Math.sqrt(p * (1 - p) / strongest.images());
    String where =
        large
            ? "at " + eps(strongest) + " (\u2265 64/255)"
            : "at the suite\u2019s largest L\u221e epsilon, "
                + eps(strongest)
                + " (it has none \u2265 64/255)";
    String numbers =
        "the strongest iterative attack "
            + where
            + ", "
            + strongest.label()
            + ", against chance "
            + Fmt.pct(chance)
            + "% ("
            + classes
            + " classes"
            + (known ? "" : ", assumed: the results do not record the " + "dataset's")
            + "; sampling limit "
            + Fmt.fixed(limit, 1)
            + "%)";
    if (strongest.accuracy() > limit) {
      return new Finding(
          Check.LARGE_EPSILON,
          Status.FLAG,
          numbers
              + ": above chance"
              + (large
                  ? ", where an unmasked model is at chance or below"
                  : "; weak evidence at an epsilon this small: add an attack at 64/255 to tell masking from robustness"));
    }
    return new Finding(Check.LARGE_EPSILON, Status.PASS, numbers + ": not above chance");
  }

  private static Finding moreEffort(List<Attack> attacks) {
    List<String> flags = new ArrayList<>();
    int pairs = 0;
    for (Attack a : attacks) {
      for (Attack b : attacks) {
        if (a == b || a.transfer() || b.transfer() || !a.id().equals(b.id()) || !same(a, b)) {
          continue;
        }
        if (!moreEffort(b.effort(), a.effort())) {
          continue; // b is the case with more steps, restarts or queries
        }
        pairs++;
        if (below(b, a)) {
          flags.add(
              b.label() + " with " + effort(b) + " < " + a.label() + " with " + effort(a) + " at "
                  + eps(a));
        }
      }
    }
    if (!flags.isEmpty()) {
      return new Finding(
          Check.MORE_EFFORT,
          Status.FLAG,
          String.join("; ", flags)
              + ": the attack had not converged, so the fewer-step accuracy overstates robustness");
    }
    if (pairs == 0) {
      return new Finding(
          Check.MORE_EFFORT,
          Status.NOT_CHECKED,
          "not checked: the suite has no two cases of one "
              + "attack at one epsilon that differ in steps, restarts or queries");
    }
    return new Finding(
        Check.MORE_EFFORT,
        Status.PASS,
        "checked "
            + pairs
            + " pair(s) differing in steps, restarts "
            + "or queries: more effort lowered accuracy by no more than sampling error");
  }

  /**
   * True when {@code more} is at least {@code less} in every effort setting and above it in one.
   */
  private static boolean moreEffort(Map<String, Double> more, Map<String, Double> less) {
    boolean above = false;
    for (String k : EFFORT) {
      Double m = more.get(k);
      Double l = less.get(k);
      if (m == null || l == null) {
        if (m != null || l != null) {
          return false; // one case has a setting the other lacks and no default is known
        }
        continue;
      }
      if (m < l) {
        return false;
      }
      above |= m > l;
    }
    return above;
  }

  private static boolean same(Attack a, Attack b) {
    return a.norm().equals(b.norm())
        && Math.abs(a.epsilon() - b.epsilon()) <= 1e-9 * Math.max(1, a.epsilon());
  }

  private static String eps(Attack a) {
    String e = Fmt.fixed(a.epsilon(), 4);
    return a.norm().equals("linf")
        ? "\u03b5\u221e = " + e + " (" + Fmt.fixed(a.epsilon() * 255, 1) + "/255)"
        : "\u03b52 = " + e;
  }

  private static String effort(Attack a) {
    List<String> parts = new ArrayList<>();
    for (String k : EFFORT) {
      if (a.effort().containsKey(k)) {
        parts.add(Fmt.exact(a.effort().get(k)) + " " + k);
      }
    }
    return String.join(", ", parts);
  }

  /** The case as an attack with a norm and an epsilon, or null when it has no epsilon. */
  private static Attack attack(CaseResult c, Map<String, String> sources, List<String> models) {
    String id = c.perturbationId();
    Map<String, Object> p = new HashMap<>(c.params() == null ? Map.of() : c.params());
    if (c.level() != null) { // the level's swept values, where params were not recorded
      c.level().values().forEach(p::putIfAbsent);
    }
    String norm =
        L_INF_ONLY.contains(id)
            ? "linf"
            : String.valueOf(p.getOrDefault("norm", id.equals("deepfool") ? "l2" : "linf"))
                .toLowerCase(Locale.ROOT);
    Double eps = number(p.get("epsilon"));
    if (eps == null) {
      if (!WHITE_BOX.contains(id) && !id.equals("square") && !id.equals("autoattack")) {
        return null;
      }
      eps = norm.equals("linf") ? 8 / 255.0 : 0.5; // these attacks' default
    }
    Map<String, Double> effort = new HashMap<>(DEFAULT_EFFORT.getOrDefault(id, Map.of()));
    for (String k : EFFORT) {
      Double v = number(p.get(k));
      if (v != null) {
        effort.put(k, v);
      }
    }
    String source = sources.get(c.perturbation());
    if (source == null) { // results without the suite text: the default name of a transfer attack,
      // id@model
      int at = c.perturbation().lastIndexOf('@');
      source =
          at > 0 && models.contains(c.perturbation().substring(at + 1))
              ? c.perturbation().substring(at + 1)
              : null;
    }
    return new Attack(c, id, norm, eps, effort, source != null && !source.equals(c.model()));
  }

  private static Double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Each transfer attack's source model, by perturbation name, read from the suite's text. */
  private static Map<String, String> sources(RunResult r) {
    Map<String, String> out = new HashMap<>();
    if (r.suite() == null || r.suite().yaml() == null) {
      return out;
    }
    try {
      JsonNode list =
          new ObjectMapper(new YAMLFactory()).readTree(r.suite().yaml()).path("perturbations");
      for (JsonNode n : list) {
        if (n.isObject() && n.hasNonNull("source")) {
          String source = n.get("source").asText();
          String name =
              n.hasNonNull("name") ? n.get("name").asText() : n.path("id").asText() + "@" + source;
          out.put(name, source);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // unreadable suite text: fall back to the default names
    }
    return out;
  }

  /**
   * True when the dataset is one of those qrbench ships, all of 10 classes; the results do not
   * record a class count, so for others chance is taken as 10% and the finding says so.
   */
  static boolean knownClasses(RunResult r) {
    String d =
        r.suite() == null || r.suite().dataset() == null
            ? ""
            : r.suite().dataset().toLowerCase(Locale.ROOT);
    return d.startsWith("cifar10") || d.contains("mnist") || d.equals("synthetic");
  }
}
