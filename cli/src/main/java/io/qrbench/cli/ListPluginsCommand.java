package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.ConfigKeys;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists every plugin on the class path with its configuration keys. */
@Command(
    name = "list-plugins",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Lists the plugins found (qrbench's own and the jars in the plugin folders): id, kind, description, and configuration keys with types and defaults.")
final class ListPluginsCommand implements Callable<Integer> {
  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description = "only this kind: model, dataset, quantizer, perturbation or report")
  String kind;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<PluginKind> kinds =
        kind == null
            ? Arrays.asList(PluginKind.values())
            : List.of(
                PluginKind.byLabel(kind)
                    .orElseThrow(
                        () ->
                            new ConfigException(
                                "unknown plugin kind '"
                                    + kind
                                    + "'; use one of: "
                                    + Arrays.stream(PluginKind.values())
                                        .map(PluginKind::label)
                                        .collect(Collectors.joining(", ")))));
    PluginRegistry registry = PluginRegistry.discover();
    PrintWriter out = spec.commandLine().getOut();
    for (PluginKind k : kinds) {
      out.println(k.label().toUpperCase(Locale.ROOT) + "S");
      for (Plugin<?> p : registry.all(k)) {
        out.printf("  %-18s %s%n", p.id(), p.description());
        for (ConfigKeys.Key key : ConfigKeys.of(p.configType())) {
          out.printf(
              "      %-16s %-22s %s%n",
              key.name() + ":", key.type() + " = " + key.defaultValue(), key.description());
        }
        out.printf("      (%s)%n", p.getClass().getName());
      }
      if (k == PluginKind.PERTURBATION) {
        printFrameworkPerturbationKeys(out);
      }
      out.println();
    }
    out.flush();
    return Main.OK;
  }

  /**
   * What the framework adds to every perturbation: {@code chain}, which is no plugin (it composes
   * any of them), and the keys a suite may give any perturbation besides its own (README,
   * "Perturbations").
   */
  private static void printFrameworkPerturbationKeys(PrintWriter out) {
    String[][] chain = {
      {
        "of:",
        "list of perturbations = required",
        "the steps, in order: an id, or {id: ..., its keys}"
      },
      {
        "stages:",
        "true or false = false",
        "one case per prefix of the chain: steps=1, steps=2, ..."
      }
    };
    String[][] every = {
      {"name:", "string = the id", "the perturbation's name in case ids, reports and checks"},
      {"source:", "a model's name = none", "craft on that model, evaluate every model (transfer)"},
      {
        "space:",
        "pixel | normalised | pixel255 = pixel",
        "perturb the [0,1] image, the model's (x - mean) / std, or x * 255"
      },
      {"clip:", "[low, high] = the space's range", "the range perturbed values are clipped to"}
    };
    out.printf(
        "  %-18s %s%n",
        "chain",
        "the framework's composition: perturbations applied one after the other to the same images");
    for (String[] k : chain) {
      out.printf("      %-16s %-22s %s%n", k[0], k[1], k[2]);
    }
    out.printf("      (the framework: io.qrbench.compose)%n");
    out.printf("  %-18s %s%n", "(every one)", "keys the framework takes on any perturbation above");
    for (String[] k : every) {
      out.printf("      %-16s %-22s %s%n", k[0], k[1], k[2]);
    }
  }
}
