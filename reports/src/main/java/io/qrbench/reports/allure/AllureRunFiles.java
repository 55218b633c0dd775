package io.qrbench.reports.allure;

import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.RunResult;
import io.qrbench.result.SuiteInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files beside the results that Allure shows on its overview: environment, executor,
 * categories.
 */
final class AllureRunFiles {
  private AllureRunFiles() {}

  /** {@code environment.properties}: where and how the run happened. */
  static String environmentProperties(RunResult run) {
    Map<String, String> p = new LinkedHashMap<>();
    EnvironmentInfo env = run.environment();
    if (env != null) {
      p.put("qrbench.version", env.qrbenchVersion());
      p.put("djl.version", env.djlVersion());
      p.put("engine", env.engine());
      p.put("engine.version", env.engineVersion());
      p.put("java.version", env.javaVersion() + " (" + env.javaVendor() + ")");
      p.put("os", env.os());
      p.put("cpu", env.cpu());
      p.put("cores", Integer.toString(env.cores()));
      p.put("threads", env.threads() == null ? "engine default" : env.threads().toString());
      p.put("git.commit", env.gitCommit() == null ? "unknown" : env.gitCommit());
    }
    SuiteInfo s = run.suite();
    if (s != null) {
      p.put("suite", s.name());
      p.put("seed", Long.toString(s.seed()));
      p.put("dataset", s.dataset() + " (" + s.split() + ", " + s.images() + " images)");
    }
    p.put("run.status", run.status() == null ? null : run.status().id());
    p.put("run.started", run.startedAt());
    StringBuilder out = new StringBuilder();
    p.forEach((k, v) -> out.append(k).append('=').append(escape(String.valueOf(v))).append('\n'));
    return out.toString();
  }

  /** {@code executor.json}: who produced the results. */
  static Map<String, Object> executor(RunResult run) {
    Map<String, Object> e = new LinkedHashMap<>();
    String suite = run.suite() == null ? "" : run.suite().name();
    e.put("name", "qrbench");
    e.put("type", "qrbench");
    e.put("buildName", suite + " " + run.startedAt());
    e.put("reportName", "qrbench: " + suite);
    return e;
  }

  /**
   * {@code categories.json}: failed cases are "broken" (they did not finish), failed checks
   * "failed".
   */
  static List<Map<String, Object>> categories() {
    return List.of(
        category("Robustness case failed", "broken"), category("Check failed", "failed"));
  }

  private static Map<String, Object> category(String name, String status) {
    Map<String, Object> c =
        new LinkedHashMap<>(); // Map.of's order changes from one JVM to the next
    c.put("name", name);
    c.put("matchedStatuses", List.of(status));
    return c;
  }

  /**
   * A properties value: Allure reads the file as ISO-8859-1, so anything else is a unicode escape.
   */
  static String escape(String v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e || (c == ' ' && i == 0)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
