package io.qrbench.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build empties {@code target/allure-results} before the tests run (parent pom, {@code
 * fresh-allure-results}): results left from an earlier run would show in {@code allure generate} as
 * retries of this run's tests. Every result there must come from this test JVM.
 */
class FreshAllureResultsTest {
  @Test
  void allureResultsHoldOnlyThisRunsTests() throws IOException {
    Path dir = Path.of(System.getProperty("allure.results.directory", "target/allure-results"));
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    List<String> stale;
    try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
      stale =
          files.filter(f -> modified(f) < started).map(f -> f.getFileName().toString()).toList();
    }
    assertEquals(List.of(), stale, "results older than this test run in " + dir);
  }

  private static long modified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
