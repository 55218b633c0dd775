package io.qrbench.cli;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.DataFile;
import io.qrbench.spi.DatasetProvider;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.ConfigMaps;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Fetches datasets into the qrbench data cache and lists what is there. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Fetches datasets into the qrbench data cache ($QRBENCH_DATA, default ~/.cache/qrbench) and lists them.",
    subcommands = {DataCommand.Fetch.class, DataCommand.ListFiles.class})
final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Calls {@code fetch} with the dataset's default configuration. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      versionProvider = Main.VersionInfo.class,
      description = "Downloads (or converts) a dataset into the cache and verifies its checksums.")
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET", description = "a dataset id, e.g. cifar10")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      DatasetProvider<?> p =
          PluginRegistry.discover().get(PluginKind.DATASET, id, DatasetProvider.class);
      PrintWriter out = spec.commandLine().getOut();
      fetch(
          p,
          line -> {
            out.println("  " + line);
            out.flush();
          });
      List<DataFile> files = files(p);
      out.printf(
          "%s: %d file(s) ready%s%n",
          id, files.size(), files.stream().allMatch(DataFile::verified) ? ", all verified" : "");
      return Main.OK;
    }
  }

  /** Lists each dataset's local files. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = Main.VersionInfo.class,
      description = "Lists what each dataset keeps locally: where, how big, verified or not.")
  static final class ListFiles implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (Plugin<?> plugin : PluginRegistry.discover().all(PluginKind.DATASET)) {
        DatasetProvider<?> p = (DatasetProvider<?>) plugin;
        List<DataFile> files = files(p);
        out.println(p.id() + (files.isEmpty() ? ": generated, nothing stored" : ":"));
        for (DataFile f : files) {
          out.printf(
              "  %-26s %-9s %10s  %s%n",
              f.name(),
              !f.present() ? "missing" : f.verified() ? "verified" : "UNVERIFIED",
              f.present() ? String.format("%,d B", f.bytes()) : "-",
              f.path());
        }
      }
      out.flush();
      return Main.OK;
    }
  }

  private static <C extends Record> void fetch(
      DatasetProvider<C> p, java.util.function.Consumer<String> log) {
    p.fetch(ConfigMaps.defaults(p.configType(), p.id()), log);
  }

  private static <C extends Record> List<DataFile> files(DatasetProvider<C> p) {
    return p.files(ConfigMaps.defaults(p.configType(), p.id()));
  }
}
