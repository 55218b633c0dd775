package io.qrbench.cli;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Checks a suite without running it. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Main.VersionInfo.class,
    description = "Checks a suite file: keys, types, plugin ids, weight files. Exits 2 listing every problem.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SUITE", description = "the suite YAML file")
  Path suiteFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Suite suite = new SuiteLoader(PluginRegistry.discover()).load(suiteFile);
    int levels = suite.perturbations().stream().mapToInt(p -> p.levels().size()).sum();
    spec.commandLine().getOut().printf(
        "%s: suite '%s' is valid: %d model(s), %d perturbation(s) with %d level(s), %d case(s); dataset '%s' (%s%s)%n",
        suiteFile, suite.name(), suite.models().size(), suite.perturbations().size(), levels,
        levels * suite.models().size(), suite.dataset().provider().id(),
        suite.dataset().split().name().toLowerCase(java.util.Locale.ROOT),
        suite.dataset().limit() == null ? "" : ", first " + suite.dataset().limit() + " images");
    return Main.OK;
  }
}
