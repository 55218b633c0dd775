package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.result.RunResult;
import io.qrbench.runner.Reports;
import io.qrbench.spi.PluginKind;
import io.qrbench.store.ResultsJson;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.PluginConfigs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Renders reports from a finished run's results.json without running anything again. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description = {
      "Renders reports from a results.json without rerunning the suite.",
      "A JMH result file (java -jar benchmarks/target/benchmarks.jar ... -rf json) is shown as a table."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "RESULTS",
      description = "a results.json written by 'qrbench run', or a JMH JSON result")
  Path results;

  @Option(
      names = "--format",
      split = ",",
      paramLabel = "ID",
      description =
          "report writers to use, comma-separated (default: every writer but json; see 'qrbench list-plugins --kind report')")
  List<String> formats;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output folder (default: the results file's folder)")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(results)) {
      throw new ConfigException(
          results
              + ": no such file; pass the results.json of a run (runs/<suite>/<time>/results.json)");
    }
    PrintWriter console = spec.commandLine().getOut();
    if (JmhTable.isJmhResult(results)) {
      console.print(JmhTable.render(results));
      console.flush();
      return Main.OK;
    }
    RunResult result = ResultsJson.read(results);
    PluginRegistry registry = PluginRegistry.discover();
    List<String> ids =
        formats != null
            ? formats
            : registry.ids(PluginKind.REPORT).stream().filter(id -> !id.equals("json")).toList();
    List<PluginConfig> writers = new ArrayList<>();
    for (String id : ids) {
      writers.add(PluginConfigs.parse(registry, PluginKind.REPORT, id.trim(), "--format"));
    }
    Path outDir = out != null ? out : results.toAbsolutePath().getParent();
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new ConfigException(
          "--out " + out + ": is a file, not a folder; name a folder (it is created when missing)");
    }
    try {
      Files.createDirectories(outDir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ConfigException(
          "--out " + outDir + ": " + e.getFile() + " is a file, not a folder; name a folder");
    }
    Reports.write(writers, result, outDir, console::println);
    console.flush();
    return Main.OK;
  }
}
