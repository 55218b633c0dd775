package io.qrbench.cli;

import io.qrbench.ConfigException;
import io.qrbench.QrbenchException;
import io.qrbench.io.IoErrors;
import io.qrbench.util.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code qrbench} command. Exit codes: 0 success, 1 a failure while running (a case failed, an
 * I/O error), 2 bad input (a malformed suite, an unknown plugin, a missing file, bad options), 3
 * every case ran but a suite check failed (or {@code compare} found a significant change).
 */
@Command(
    name = "qrbench",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionInfo.class,
    description =
        "Benchmarks how robust and how fast quantized neural networks are against their full-precision twins.",
    subcommands = {
      RunCommand.class,
      MergeCommand.class,
      ReportCommand.class,
      CompareCommand.class,
      TrainCommand.class,
      QuantizeCommand.class,
      ExportCommand.class,
      ValidateCommand.class,
      DataCommand.class,
      ListPluginsCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a failure while running (a failed case, an I/O error)",
      "2:bad input (malformed suite, unknown plugin id, missing file, bad option)",
      "3:a suite check failed (run), or a significant change was found (compare --fail-on-change)"
    })
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int BAD_INPUT = 2;
  public static final int CHECK_FAILED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--plugin-path",
      paramLabel = "DIR[:DIR]",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "folders holding plugin jars (or jar files), searched before $QRBENCH_PLUGINS and the"
              + " checkout's plugins/ folder")
  String pluginPath;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, without exiting. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the command line with the given output and error streams; returns its exit code. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine() {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    cl.setExecutionStrategy(parsed -> withPlugins(main, parsed));
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException) {
            cmd.getErr().println(e.getMessage());
            return BAD_INPUT;
          }
          String said = failure(e);
          if (said != null) {
            cmd.getErr().println("qrbench: " + said);
            return FAILURE;
          }
          cmd.getErr().println("qrbench: " + e);
          e.printStackTrace(cmd.getErr());
          return FAILURE;
        });
    return cl;
  }

  /**
   * Runs the parsed command with the plugin jars (see {@link PluginPath}) visible to {@link
   * io.qrbench.registry.PluginRegistry#discover()} through the thread's context class loader, put
   * back as it was afterwards so that in-process callers (tests) are left untouched.
   */
  private static int withPlugins(Main main, CommandLine.ParseResult parsed) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    ClassLoader own = before != null ? before : Main.class.getClassLoader();
    ClassLoader plugins;
    try {
      plugins = PluginPath.loader(PluginPath.jars(main.pluginPath), own);
    } catch (ConfigException e) {
      parsed.commandSpec().commandLine().getErr().println(e.getMessage());
      return BAD_INPUT;
    }
    thread.setContextClassLoader(plugins);
    try {
      return new CommandLine.RunLast().execute(parsed);
    } finally {
      thread.setContextClassLoader(before);
      if (plugins != own && plugins instanceof java.io.Closeable c) {
        try {
          c.close();
        } catch (IOException e) {
          // the jars stay open until exit: harmless
        }
      }
    }
  }

  /**
   * The one line for a failure that needs no stack trace: qrbench's own, or an I/O error such as a
   * full disk; null for anything else (a bug, whose trace helps).
   */
  static String failure(Throwable e) {
    if (e instanceof QrbenchException) {
      return e.getMessage();
    }
    if (e instanceof UncheckedIOException u) {
      String own = u.getMessage();
      String cause = IoErrors.describe(u.getCause(), null);
      return own == null || own.equals(String.valueOf(u.getCause()))
          ? cause
          : own.contains(String.valueOf(u.getCause().getMessage())) ? own : own + ": " + cause;
    }
    if (e instanceof IOException io) {
      return IoErrors.describe(io, null);
    }
    return null;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: run, validate or list-plugins");
  }

  /** Prints qrbench's, DJL's and Java's versions. */
  static final class VersionInfo implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "qrbench " + Version.get(),
        "DJL " + ai.djl.engine.Engine.getDjlVersion(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
