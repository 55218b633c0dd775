package io.qrbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataCacheTest {

  private static Path root(Map<String, String> env) {
    return DataCache.root(env::get, "/home/u");
  }

  @Test
  void qrbenchDataWinsThenXdgThenTheHomeCache() {
    assertEquals(
        Path.of("/data/q"), root(Map.of("QRBENCH_DATA", "/data/q", "XDG_CACHE_HOME", "/xdg")));
    assertEquals(Path.of("/xdg/qrbench"), root(Map.of("XDG_CACHE_HOME", "/xdg")));
    assertEquals(Path.of("/home/u/.cache/qrbench"), root(Map.of()));
    assertEquals(
        Path.of("/home/u/.cache/qrbench"),
        root(Map.of("XDG_CACHE_HOME", "relative")),
        "a relative XDG_CACHE_HOME is ignored, as the XDG spec says");
  }
}
