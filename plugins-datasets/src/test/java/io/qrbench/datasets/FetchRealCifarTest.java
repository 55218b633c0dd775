package io.qrbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.spi.DataFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fetches the real CIFAR-10 into this machine's data cache, through every source the user would
 * have. Network use is never a side effect of a build: it runs only when asked, with
 * {@code mvn -pl plugins-datasets test -Dtest=FetchRealCifarTest -Dqrbench.fetch=true}.
 */
@EnabledIfSystemProperty(named = "qrbench.fetch", matches = "true",
    disabledReason = "downloads 170 MB; run with -Dqrbench.fetch=true to fetch CIFAR-10 into the data cache")
class FetchRealCifarTest {

  @Test
  void fetchCifar10IntoTheDefaultCache() {
    long start = System.nanoTime();
    Path dir = Cifar10Dataset.fetchDefault(line -> System.out.println("fetch: " + line));
    System.out.printf("fetch: took %.1f s%n", (System.nanoTime() - start) / 1e9);
    List<DataFile> files = new Cifar10Dataset().files(new Cifar10Dataset.Config(null, null));
    files.forEach(f -> System.out.println("fetch: " + f));
    assertEquals(6, files.size());
    assertTrue(files.stream().allMatch(f -> f.present() && f.verified() && f.path().startsWith(dir)), files.toString());
  }
}
