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
      out.println();
    }
    out.flush();
    return Main.OK;
  }
}
