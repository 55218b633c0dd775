package io.qrbench.reports;

import io.qrbench.result.EnvironmentInfo;
import io.qrbench.result.RunResult;
import io.qrbench.result.SuiteInfo;

/** The {@code manifest} section: everything needed to reproduce the run, and the suite itself. */
final class ManifestSection {
  private ManifestSection() {}

  static void render(Html h, ReportContext r) {
    HtmlPage.section(h, "manifest", "Manifest");
    RunResult result = r.result();
    EnvironmentInfo env = result.environment();
    SuiteInfo suite = result.suite();
    h.open("dl", "class", "facts manifest", "id", "manifest-list").nl();
    if (env != null) {
      item(h, "qrbench", env.qrbenchVersion(), "qrbench");
      item(h, "DJL", env.djlVersion(), "djl");
      item(h, "Engine", Fmt.or(env.engine()) + " " + Fmt.or(env.engineVersion()), "engine");
      item(h, "Java", Fmt.or(env.javaVersion()) + " (" + Fmt.or(env.javaVendor()) + ")", "java");
      item(h, "OS", env.os(), "os");
      item(h, "CPU", env.cpu(), "cpu");
      item(h, "Cores", Integer.toString(env.cores()), "cores");
      item(
          h,
          "Engine threads",
          env.threads() == null ? "engine default" : env.threads().toString(),
          "threads");
      item(
          h,
          "Git commit",
          env.gitCommit() == null ? "not in a git checkout" : env.gitCommit(),
          "git-commit");
    }
    if (suite != null) {
      item(h, "Suite file", r.relative(suite.file()), "suite-file");
      item(h, "Seed", Long.toString(suite.seed()), "seed");
      item(
          h,
          "Image limit",
          suite.limit() == null ? "none (whole split)" : suite.limit().toString(),
          "limit");
      item(h, "Fingerprint", suite.fingerprint(), "fingerprint");
    }
    item(h, "Results schema", result.schema(), "schema");
    item(h, "Started", result.startedAt(), "started");
    item(h, "Finished", result.finishedAt(), "finished");
    item(
        h,
        "Wall time",
        Fmt.duration(result.wallSeconds()) + " (" + Fmt.fixed(result.wallSeconds(), 1) + " s)",
        "wall");
    h.close("dl").nl();
    if (suite != null && suite.yaml() != null) {
      h.el("h3", "Suite");
      h.el("pre", suite.yaml(), "id", "suite-yaml").nl();
    }
    h.close("section").nl();
  }

  private static void item(Html h, String name, String value, String key) {
    h.el("dt", name).el("dd", Fmt.or(value), "data-key", key).nl();
  }
}
