package io.qrbench.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Exactly one SLF4J provider on the test class path: with none SLF4J prints "No SLF4J providers
 * were found" at the start of every test JVM, with two it warns of both (issue 22.6).
 */
class Slf4jProviderTest {
  @Test
  void oneQuietProvider() {
    List<String> providers =
        ServiceLoader.load(SLF4JServiceProvider.class).stream()
            .map(p -> p.type().getName())
            .toList();
    assertEquals(List.of("org.slf4j.nop.NOPServiceProvider"), providers);
  }
}
