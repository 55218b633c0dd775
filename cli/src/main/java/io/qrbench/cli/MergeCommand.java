package io.qrbench.cli;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.RunResult;
import io.qrbench.runner.Runner;
import io.qrbench.runner.ShardMerge;
import io.qrbench.suite.SuiteLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Puts the shards of a run back together. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Merges the folders of 'qrbench run SUITE --shard K/N' (all N of them) into one results.json and the suite's reports, equal to those of a run without shards. Refuses (exit 2, writing nothing) shards that are missing, duplicated, unfinished, failed, or of another suite, seed, limit or qrbench version.")
final class MergeCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "folder for the merged results and reports (new, or without results.json)")
  Path out;

  @Parameters(
      arity = "1..*",
      paramLabel = "SHARD_DIR",
      description = "the --out folder of each shard")
  List<Path> shards;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    RunResult merged =
        ShardMerge.merge(shards, out, new SuiteLoader(PluginRegistry.discover()), console::println);
    long failedChecks = merged.checks().stream().filter(c -> !c.passed()).count();
    console.printf(
        "merged %d shard(s): %d case(s); results in %s%n",
        shards.size(), merged.cases().size(), out.resolve(Runner.RESULTS_FILE));
    if (!merged.checks().isEmpty()) {
      merged
          .checks()
          .forEach(
              c ->
                  console.println(
                      (c.passed() ? "check passed: " : "CHECK FAILED: ")
                          + c.expression()
                          + "  ["
                          + c.detail()
                          + "]"));
      console.printf(
          "checks: %d of %d passed%s%n",
          merged.checks().size() - failedChecks,
          merged.checks().size(),
          failedChecks > 0 ? " (exit code " + Main.CHECK_FAILED + ")" : "");
    }
    console.flush();
    return failedChecks > 0 ? Main.CHECK_FAILED : Main.OK;
  }
}
