package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The workflows' caches must save the folders the tools write. In a container job the cache
 * action's {@code ~} is {@code $HOME} (/github/home) but Java's user.home is /root, so a cache of
 * {@code ~/.m2} saves nothing; every cached path must be absolute and be where the job points Maven
 * ({@code -Dmaven.repo.local}) and qrbench ({@code QRBENCH_DATA}).
 */
class CiCachesTest {
  private static final Path WORKFLOWS = Path.of("..", ".github", "workflows");

  private static List<Path> workflows() throws IOException {
    try (var s = Files.list(WORKFLOWS)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static List<String> all(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1).strip());
    }
    return out;
  }

  @Test
  void cachedPathsAreTheOnesMavenAndQrbenchAreToldToUse() throws IOException {
    for (Path wf : workflows()) {
      String text = Files.readString(wf);
      if (!text.contains("actions/cache")) {
        continue;
      }
      List<String> paths =
          all(Pattern.compile("uses: actions/cache@\\S+\\s+with:\\s+path: (\\S+)"), text);
      assertFalse(paths.isEmpty(), wf + ": cache steps without a path");
      for (String p : paths) {
        assertFalse(p.startsWith("~"), wf + ": '" + p + "' means /github/home in a container");
      }
      // every job that caches names the same two places
      List<String> repo =
          all(Pattern.compile("-Dmaven\\.repo\\.local=(\\S+)"), text).stream().distinct().toList();
      List<String> data =
          all(Pattern.compile("QRBENCH_DATA: (\\S+)"), text).stream().distinct().toList();
      assertEquals(1, repo.size(), wf + ": one Maven repository in MAVEN_OPTS: " + repo);
      assertEquals(1, data.size(), wf + ": one qrbench data cache: " + data);
      assertTrue(paths.contains(repo.get(0)), wf + ": the Maven cache saves " + repo.get(0));
      assertTrue(paths.contains(data.get(0)), wf + ": the data cache saves " + data.get(0));
    }
  }
}
