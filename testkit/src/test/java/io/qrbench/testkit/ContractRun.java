package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a contract test class through the JUnit Platform, as a build would, and says how each of its
 * tests ended. Listeners found on the class path (Allure's) are left out: the deliberate failures
 * of broken plugins are not results of this build.
 */
final class ContractRun {
  private ContractRun() {}

  /**
   * The outcome of each test method of {@code testClass}, by method name; skipped tests are
   * "SKIPPED".
   */
  static Map<String, String> outcomes(Class<?> testClass) {
    Launcher launcher =
        LauncherFactory.create(
            LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    Map<String, String> out = new TreeMap<>();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            method(id)
                .ifPresent(
                    m ->
                        out.put(
                            m,
                            result.getStatus().name()
                                + result
                                    .getThrowable()
                                    .map(t -> ": " + t.getMessage())
                                    .orElse("")));
          }

          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            method(id).ifPresent(m -> out.put(m, "SKIPPED: " + reason));
          }
        });
    return out;
  }

  /**
   * The tests of {@code testClass} that failed; fails itself unless every {@code @Test} method of
   * the class and its superclasses ran (none skipped, none left out) and each ended in success or
   * an assertion's failure.
   */
  static Set<String> failed(Class<?> testClass) {
    Set<String> declared = new TreeSet<>();
    for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class)) {
          declared.add(m.getName());
        }
      }
    }
    assertTrue(!declared.isEmpty(), testClass.getName() + " has no @Test methods");
    Map<String, String> outcomes = outcomes(testClass);
    assertEquals(declared, outcomes.keySet(), "every contract test ran: " + outcomes);
    Set<String> failed = new TreeSet<>();
    outcomes.forEach(
        (test, outcome) -> {
          if (!outcome.equals("SUCCESSFUL")) {
            assertTrue(outcome.startsWith("FAILED"), test + " " + outcome);
            failed.add(test);
          }
        });
    return failed;
  }

  private static java.util.Optional<String> method(TestIdentifier id) {
    return id.getSource()
        .filter(MethodSource.class::isInstance)
        .map(s -> ((MethodSource) s).getMethodName());
  }
}
