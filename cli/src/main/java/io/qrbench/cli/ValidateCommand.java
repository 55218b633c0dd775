package io.qrbench.cli;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.runner.WeightsValidation;
import io.qrbench.suite.Suite;
import io.qrbench.suite.SuiteLoader;
import io.qrbench.suite.TrainingSpec;
import io.qrbench.suite.TrainingSpecLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a suite without running it. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description = {
      "Checks a suite file (keys, types, plugin ids, weight files, checks) or a training spec",
      "(a file with 'epochs:' and no 'models:') without running it. Exits 2 listing every problem."
    })
final class ValidateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "the suite or training spec YAML file")
  Path suiteFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (isTrainingSpec(suiteFile)) {
      TrainingSpec t = new TrainingSpecLoader(PluginRegistry.discover()).load(suiteFile);
      spec.commandLine()
          .getOut()
          .printf(
              "%s: training spec '%s' is valid: %s, %d epoch(s) of batch %d%s%n",
              suiteFile,
              t.name(),
              t.model().id(),
              t.epochs(),
              t.batchSize(),
              t.quantizer() == null ? "" : ", quantizer " + t.quantizer().id());
      return Main.OK;
    }
    Suite suite = new SuiteLoader(PluginRegistry.discover()).load(suiteFile);
    int weights = WeightsValidation.check(suite);
    int levels = suite.perturbations().stream().mapToInt(p -> p.levels().size()).sum();
    spec.commandLine()
        .getOut()
        .printf(
            "%s: suite '%s' is valid: %d model(s) (%d weights file(s) loaded and checked), %d perturbation(s) with %d level(s), %d case(s), %d check(s); dataset '%s' (%s%s)%n",
            suiteFile,
            suite.name(),
            suite.models().size(),
            weights,
            suite.perturbations().size(),
            levels,
            levels * suite.models().size(),
            suite.checks().size(),
            suite.dataset().provider().id(),
            suite.dataset().split().name().toLowerCase(java.util.Locale.ROOT),
            suite.dataset().limit() == null
                ? ""
                : ", first " + suite.dataset().limit() + " images");
    return Main.OK;
  }

  /**
   * A training spec has top-level 'epochs:' and no 'models:'; anything else is read as a suite. The
   * first megabyte decides, read leniently: the loaders refuse larger or non-UTF-8 files
   * themselves.
   */
  private static boolean isTrainingSpec(Path file) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      String text = new String(in.readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
      return java.util.regex.Pattern.compile("(?m)^epochs\\s*:").matcher(text).find()
          && !java.util.regex.Pattern.compile("(?m)^models\\s*:").matcher(text).find();
    } catch (java.io.IOException | RuntimeException e) {
      return false; // the suite loader reports unreadable files properly
    }
  }
}
