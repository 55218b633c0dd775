package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.RunResult;
import io.qrbench.runner.Runner;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a suite. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description = "Runs a suite and writes results.json (case by case) and the suite's reports.")
final class RunCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Parameters(index = "0", paramLabel = "SUITE", description = "the suite YAML file")
  Path suiteFile;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "output folder (default: runs/<suite name>/<date-time>; with --resume, the latest of those)")
  Path out;

  @Option(names = "--limit", paramLabel = "N", description = "evaluate only the first N images")
  Integer limit;

  @Option(names = "--seed", paramLabel = "S", description = "override the suite's seed")
  Long seed;

  @Option(
      names = "--resume",
      description = "keep the cases already finished in the output folder and run the rest")
  boolean resume;

  @Option(names = "--overwrite", description = "replace results already in the output folder")
  boolean overwrite;

  @Option(
      names = "--shard",
      paramLabel = "K/N",
      description =
          "run only the K-th of N shares of the work (cases, and expensive cases cut into ranges of images, balanced by estimated cost); put the N folders back together with 'qrbench merge'")
  String shard;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (limit != null && limit < 1) {
      throw new ConfigException("--limit must be at least 1, was " + limit);
    }
    if (resume && overwrite) {
      throw new ConfigException("--resume and --overwrite contradict each other; pass one");
    }
    Runner.Shard share = shard == null ? null : Runner.Shard.parse(shard);
    Suite suite = new SuiteLoader(PluginRegistry.discover()).load(suiteFile);
    if (seed != null) {
      suite = suite.withSeed(seed);
    }
    if (limit != null) {
      suite = suite.withLimit(limit);
    }
    io.qrbench.runner.WeightsValidation.check(
        suite); // bad weights are bad input: exit 2 before anything is written
    Path outDir = out != null ? out : defaultOut(suite.name());
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "qrbench: running suite '%s'%s -> %s%n",
        suite.name(), share == null ? "" : ", shard " + share, outDir);
    console.flush();
    RunResult result;
    // Ctrl-C or a kill ends the JVM; finished cases are already on disk, so say how to go on
    Thread hint =
        new Thread(
            () ->
                System.err.printf(
                    "%nqrbench: interrupted; finished cases are saved in %s. Continue with:%n  qrbench run %s --out %s%s --resume%n",
                    outDir.resolve(Runner.RESULTS_FILE),
                    suiteFile,
                    outDir,
                    share == null ? "" : " --shard " + share));
    Runtime.getRuntime().addShutdownHook(hint);
    try (ConsoleListener listener = new ConsoleListener(console)) {
      result =
          new Runner(listener).run(suite, new Runner.Options(outDir, resume, overwrite, share));
    } finally {
      Runtime.getRuntime().removeShutdownHook(hint);
    }
    if (share != null) {
      long failedUnits = result.shard().units().stream().filter(u -> !u.ok()).count();
      console.printf(
          "%s: shard %s, %d unit(s), %d failed, %.1f s; results in %s%n",
          result.status(),
          share,
          result.shard().units().size(),
          failedUnits,
          result.wallSeconds(),
          outDir.resolve(Runner.RESULTS_FILE));
      console.flush();
      return failedUnits > 0 ? Main.FAILURE : Main.OK;
    }
    long failed = result.cases().stream().filter(c -> !c.ok()).count();
    console.printf(
        "%s: %d case(s), %d failed, %.1f s; results in %s%n",
        result.status(),
        result.cases().size(),
        failed,
        result.wallSeconds(),
        outDir.resolve(Runner.RESULTS_FILE));
    long failedChecks = result.checks().stream().filter(c -> !c.passed()).count();
    if (!result.checks().isEmpty()) {
      console.printf(
          "checks: %d of %d passed%s%n",
          result.checks().size() - failedChecks,
          result.checks().size(),
          failedChecks > 0 ? " (exit code " + Main.CHECK_FAILED + ")" : "");
    }
    console.flush();
    return failed > 0 ? Main.FAILURE : failedChecks > 0 ? Main.CHECK_FAILED : Main.OK;
  }

  private Path defaultOut(String suiteName) {
    Path base = Path.of("runs", suiteName.replaceAll("[^A-Za-z0-9._-]", "_"));
    if (shard != null && !resume) {
      throw new ConfigException(
          "--shard: pass --out DIR too, a folder per shard, so that 'qrbench merge' can find them");
    }
    if (resume) {
      return latest(base)
          .orElseThrow(
              () ->
                  new ConfigException(
                      "--resume: no earlier run of this suite under "
                          + base
                          + "; pass --out DIR to name the run to resume"));
    }
    return base.resolve(LocalDateTime.now().format(STAMP));
  }

  private static Optional<Path> latest(Path base) {
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> runs = Files.list(base)) {
      return runs.filter(p -> Files.isRegularFile(p.resolve(Runner.RESULTS_FILE)))
          .max(Comparator.comparing(p -> p.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
