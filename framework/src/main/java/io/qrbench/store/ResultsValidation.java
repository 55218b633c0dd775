package io.qrbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.qrbench.ConfigException;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.Metric;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SpeedMetric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a results.json tree before it is bound: every field that {@code report} and {@code
 * compare} rely on is there, of its type and in its range (a percentage in [0, 100], no more
 * correct images than images), so that an edited or damaged file is one message naming the file and
 * the field, never a NullPointerException or a report of 250% accuracy.
 */
final class ResultsValidation {
  private static final String FIX =
      "this results.json was edited or damaged: restore it, or run the suite again";

  private final List<String> problems = new ArrayList<>();

  private ResultsValidation() {}

  /**
   * Checks {@code root}, read from {@code file}, whose schema has been checked already.
   *
   * @throws ConfigException naming the file, the first wrong field and how many more there are
   */
  static void check(Path file, JsonNode root) {
    ResultsValidation v = new ResultsValidation();
    v.run(root);
    if (!v.problems.isEmpty()) {
      int more = v.problems.size() - 1;
      throw new ConfigException(
          file
              + ": "
              + v.problems.get(0)
              + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")")
              + "; "
              + FIX);
    }
  }

  private void run(JsonNode root) {
    JsonNode suite = object(root, "suite", "suite");
    if (suite != null) {
      text(suite, "name", "suite.name", true);
      integer(suite, "seed", "suite.seed", Long.MIN_VALUE, Long.MAX_VALUE, true);
      integer(suite, "images", "suite.images", 0, Integer.MAX_VALUE, true);
      integer(suite, "limit", "suite.limit", 1, Integer.MAX_VALUE, false);
      text(suite, "dataset", "suite.dataset", false);
      text(suite, "split", "suite.split", false);
    }
    String status = text(root, "status", "status", true);
    if (status != null
        && java.util.Arrays.stream(RunStatus.values()).noneMatch(s -> s.id().equals(status))) {
      problems.add("status: '" + status + "' is none of " + RunStatus.ids());
    }
    number(root, "wallSeconds", "wallSeconds", 0, Double.MAX_VALUE, false);
    JsonNode models = array(root, "models", "models", true);
    for (int i = 0; models != null && i < models.size(); i++) {
      String at = "models[" + i + "]";
      if (element(models.get(i), at)) {
        text(models.get(i), "name", at + ".name", true);
        text(models.get(i), "model", at + ".model", true);
        integer(models.get(i), "parameters", at + ".parameters", 0, Long.MAX_VALUE, false);
        text(models.get(i), "backend", at + ".backend", false);
      }
    }
    JsonNode cases = array(root, "cases", "cases", true);
    for (int i = 0; cases != null && i < cases.size(); i++) {
      String at = "cases[" + i + "]";
      if (element(cases.get(i), at)) {
        caseResult(cases.get(i), at);
      }
    }
    JsonNode checks = array(root, "checks", "checks", false);
    for (int i = 0; checks != null && i < checks.size(); i++) {
      String at = "checks[" + i + "]";
      if (element(checks.get(i), at)) {
        text(checks.get(i), "expression", at + ".expression", true);
        bool(checks.get(i), "passed", at + ".passed");
      }
    }
    JsonNode speed = array(root, "speed", "speed", false);
    for (int i = 0; speed != null && i < speed.size(); i++) {
      String at = "speed[" + i + "]";
      if (element(speed.get(i), at)) {
        text(speed.get(i), "model", at + ".model", true);
        String batch = SpeedMetric.BATCH_SIZE.jsonName();
        integer(speed.get(i), batch, at + "." + batch, 1, Integer.MAX_VALUE, true);
        for (SpeedMetric m :
            List.of(
                SpeedMetric.MEAN_MS,
                SpeedMetric.P50_MS,
                SpeedMetric.P90_MS,
                SpeedMetric.P99_MS,
                SpeedMetric.IMAGES_PER_SECOND)) {
          number(speed.get(i), m.jsonName(), at + "." + m.jsonName(), 0, Double.MAX_VALUE, false);
        }
      }
    }
  }

  private void caseResult(JsonNode c, String at) {
    text(c, "id", at + ".id", true);
    text(c, "model", at + ".model", true);
    text(c, "perturbation", at + ".perturbation", true);
    String status = text(c, "status", at + ".status", true);
    if (status != null
        && java.util.Arrays.stream(CaseStatus.values()).noneMatch(s -> s.id().equals(status))) {
      problems.add(at + ".status: '" + status + "' is neither ok nor failed");
    }
    JsonNode level = object(c, "level", at + ".level", false);
    if (level != null) {
      text(level, "label", at + ".level.label", true);
      object(level, "values", at + ".level.values", false);
    }
    JsonNode m = object(c, "metrics", at + ".metrics", CaseStatus.OK.id().equals(status));
    if (m == null) {
      return;
    }
    String mt = at + ".metrics";
    String images1 = Metric.IMAGES.jsonName();
    Long images = integer(m, images1, mt + "." + images1, 0, Integer.MAX_VALUE, true);
    long n = images == null ? Integer.MAX_VALUE : images;
    String correct1 = Metric.CORRECT1.jsonName();
    String correct5 = Metric.CORRECT5.jsonName();
    Long c1 = integer(m, correct1, mt + "." + correct1, 0, n, true);
    integer(m, correct5, mt + "." + correct5, c1 == null ? 0 : c1, n, true);
    String top1Name = Metric.TOP1.jsonName();
    String top5Name = Metric.TOP5.jsonName();
    Double top1 = number(m, top1Name, mt + "." + top1Name, 0, 100, true);
    number(m, top5Name, mt + "." + top5Name, top1 == null ? 0 : top1, 100, true);
    if (images != null
        && images > 0
        && c1 != null
        && top1 != null
        && Math.abs(top1 - 100.0 * c1 / images) > 1e-6) {
      problems.add(
          mt
              + "."
              + top1Name
              + ": "
              + top1
              + "% is not "
              + correct1
              + "/"
              + images1
              + " = "
              + c1
              + "/"
              + images);
    }
    // every other standard metric: a non-negative number where present
    for (Metric metric : Metric.standard()) {
      if (!metric.integral() && metric != Metric.TOP1 && metric != Metric.TOP5) {
        number(m, metric.jsonName(), mt + "." + metric.jsonName(), 0, Double.MAX_VALUE, false);
      }
    }
    JsonNode outcomes = m.get("outcomes");
    if (outcomes != null && !outcomes.isNull()) {
      outcomes(outcomes, mt + ".outcomes", n, c1);
    }
    JsonNode predictions = m.get("predictions");
    if (predictions != null && !predictions.isNull()) {
      predictions(predictions, mt + ".predictions", n);
    }
  }

  /** Labels and top-1 classes: base64 of two bytes per image, one pair per image. */
  private void predictions(JsonNode node, String at, long images) {
    byte[] bytes;
    try {
      bytes = node.isTextual() ? Base64.getDecoder().decode(node.asText()) : null;
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null) {
      problems.add(at + ": not base64 text");
    } else if (bytes.length != 2 * images) {
      problems.add(
          at + ": holds " + bytes.length + " bytes, not 2 for each of the " + images + " images");
    }
  }

  /**
   * Per-image top-1 outcomes: base64 of a bit set with no image past the last and correct1 bits.
   */
  private void outcomes(JsonNode node, String at, long images, Long correct1) {
    BitSet bits;
    try {
      bits = node.isTextual() ? BitSet.valueOf(Base64.getDecoder().decode(node.asText())) : null;
    } catch (IllegalArgumentException e) {
      bits = null;
    }
    if (bits == null) {
      problems.add(at + ": not a base64 bit set");
    } else if (bits.length() > images) {
      problems.add(
          at + ": marks image " + (bits.length() - 1) + " but there are " + images + " images");
    } else if (correct1 != null && bits.cardinality() != correct1) {
      problems.add(
          at + ": marks " + bits.cardinality() + " images correct where correct1 is " + correct1);
    }
  }

  private boolean element(JsonNode n, String at) {
    if (!n.isObject()) {
      problems.add(at + ": expected an object, found " + kind(n));
      return false;
    }
    return true;
  }

  private JsonNode object(JsonNode parent, String key, String at) {
    return object(parent, key, at, true);
  }

  private JsonNode object(JsonNode parent, String key, String at, boolean required) {
    JsonNode n = present(parent, key, at, required);
    if (n != null && !n.isObject()) {
      problems.add(at + ": expected an object, found " + kind(n));
      return null;
    }
    return n;
  }

  private JsonNode array(JsonNode parent, String key, String at, boolean required) {
    JsonNode n = present(parent, key, at, required);
    if (n != null && !n.isArray()) {
      problems.add(at + ": expected a list, found " + kind(n));
      return null;
    }
    return n;
  }

  private String text(JsonNode parent, String key, String at, boolean required) {
    JsonNode n = present(parent, key, at, required);
    if (n != null && !n.isTextual()) {
      problems.add(at + ": expected a string, found " + kind(n));
      return null;
    }
    return n == null ? null : n.asText();
  }

  private void bool(JsonNode parent, String key, String at) {
    JsonNode n = present(parent, key, at, true);
    if (n != null && !n.isBoolean()) {
      problems.add(at + ": expected true or false, found " + kind(n));
    }
  }

  private Long integer(
      JsonNode parent, String key, String at, long min, long max, boolean required) {
    JsonNode n = present(parent, key, at, required);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      problems.add(at + ": expected an integer, found " + kind(n));
      return null;
    }
    long v = n.asLong();
    if (v < min || v > max) {
      problems.add(at + ": " + v + " is outside [" + min + ", " + max + "]");
      return null;
    }
    return v;
  }

  /**
   * A number in [min, max]; the strings NaN and Infinity are how the writer spells a timing it
   * could not take.
   */
  private Double number(
      JsonNode parent, String key, String at, double min, double max, boolean required) {
    JsonNode n = present(parent, key, at, required);
    if (n == null
        || (!required && n.isTextual() && Set.of("NaN", "Infinity").contains(n.asText()))) {
      return null;
    }
    if (!n.isNumber()) {
      problems.add(at + ": expected a number, found " + kind(n));
      return null;
    }
    double v = n.asDouble();
    if (!(v >= min && v <= max)) {
      problems.add(
          at
              + ": "
              + n.asText()
              + " is outside ["
              + trim(min)
              + ", "
              + (max == Double.MAX_VALUE ? "..." : trim(max))
              + "]");
      return null;
    }
    return v;
  }

  private JsonNode present(JsonNode parent, String key, String at, boolean required) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        problems.add(at + ": missing");
      }
      return null;
    }
    return n;
  }

  private static String kind(JsonNode n) {
    return n.isObject()
        ? "an object"
        : n.isArray() ? "a list" : n.isTextual() ? "'" + n.asText() + "'" : n.toString();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
