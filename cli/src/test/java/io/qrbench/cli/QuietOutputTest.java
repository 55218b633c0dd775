package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.spi.SLF4JServiceProvider;

/** Output noise a user should not see (issue 22.6). */
class QuietOutputTest {
  /** The launcher's filter, run as bin/qrbench runs it, on the native lines and others. */
  @Test
  void theLauncherDropsPyTorchsTwoNativeWarningsAndPassesEverythingElse() throws Exception {
    String launcher = Files.readString(Path.of("..", "bin", "qrbench"));
    int from = launcher.indexOf("# native-noise:begin");
    int to = launcher.indexOf("# native-noise:end");
    assertTrue(from >= 0 && to > from, "bin/qrbench lost its native-noise block");
    String script =
        launcher.substring(from, to)
            + "printf '%s\\n' "
            + "'[W1202 13:24:49.084344367 LegacyTypeDispatch.h:74] Warning: AutoNonVariableTypeMode"
            + " is deprecated and will be removed in 1.10 release. (function operator())' "
            + "'qrbench: a real error' "
            + "'[W NNPACK.cpp:61] Could not initialize NNPACK! Reason: Unsupported hardware.' "
            + "'\tat io.qrbench.Some.trace(Some.java:1)' >&2\n"
            // then wait for the filter: Java closes a child's pipes once the child exits, and
            // would miss what the filter (a grandchild) writes after that
            + "exec 2>&-; wait $!\n";
    assertEquals(
        List.of("qrbench: a real error", "\tat io.qrbench.Some.trace(Some.java:1)"),
        stderrOf(script, false));
    assertEquals(4, stderrOf(script, true).size(), "QRBENCH_NATIVE_WARNINGS=1 keeps them");
  }

  private static List<String> stderrOf(String script, boolean keep) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
    if (keep) {
      pb.environment().put("QRBENCH_NATIVE_WARNINGS", "1");
    }
    Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    // the filter holds the pipe open until it has written everything: read to its end
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    return err.lines().toList();
  }

  /** cli's one SLF4J provider is the one it ships: no "no providers" and no "two providers". */
  @Test
  void oneSlf4jProvider() {
    assertEquals(
        List.of("org.slf4j.simple.SimpleServiceProvider"),
        ServiceLoader.load(SLF4JServiceProvider.class).stream()
            .map(pr -> pr.type().getName())
            .toList());
  }
}
