package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qrbench.spi.ReportWriter;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReportWritersTest {
  @Test
  @SuppressWarnings("rawtypes") // ServiceLoader cannot name ReportWriter<?>
  void allWritersAreRegistered() {
    Set<String> ids =
        ServiceLoader.load(ReportWriter.class).stream()
            .map(p -> p.get().id())
            .collect(Collectors.toSet());
    assertEquals(Set.of("json", "html", "csv", "markdown", "allure"), ids);
  }
}
