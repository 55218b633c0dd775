package io.qrbench.reports.allure;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qrbench.result.RunResult;
import io.qrbench.spi.ReportWriter;
import io.qrbench.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Allure 2 results: one {@code <uuid>-result.json} per case and per suite check, plus the
 * environment, executor and categories files, for {@code allure generate} to render (docs/allure.md).
 * The folder is built beside its final place and then swapped in, so a render replaces an earlier
 * one whole rather than merging with it.
 */
public final class AllureReportWriter implements ReportWriter<AllureReportWriter.Config> {
  private static final ObjectMapper MAPPER = io.qrbench.io.JsonMappers.data();

  /**
   * Where to write.
   *
   * @param dir the folder name inside the output folder
   */
  public record Config(@JsonPropertyDescription("folder name inside the output folder (default allure-results)") String dir) {
    public Config {
      dir = dir == null ? "allure-results" : dir;
      if (dir.isBlank() || dir.contains("/") || dir.contains("\\") || dir.startsWith(".")) {
        throw new IllegalArgumentException("dir must be a plain folder name, was '" + dir + "'");
      }
    }
  }

  @Override
  public String id() {
    return "allure";
  }

  @Override
  public String description() {
    return "Allure 2 results (a test per case and per check) in allure-results/, for 'allure generate'";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<Path> write(Config config, RunResult result, Path outDir) throws IOException {
    Path target = outDir.resolve(config.dir());
    Files.createDirectories(outDir);
    // a folder as any other there (the umask decides), named so a killed render's is cleaned up
    Path tmp = AtomicFiles.createTemporary(target, true);
    try {
      List<String> names = new ArrayList<>();
      for (AllureModel.Result r : AllureResults.of(result)) {
        names.add(write(tmp, r.uuid() + "-result.json", MAPPER.writeValueAsBytes(r)));
      }
      names.add(write(tmp, "environment.properties",
          AllureRunFiles.environmentProperties(result).getBytes(StandardCharsets.ISO_8859_1)));
      names.add(write(tmp, "executor.json", MAPPER.writeValueAsBytes(AllureRunFiles.executor(result))));
      names.add(write(tmp, "categories.json", MAPPER.writeValueAsBytes(AllureRunFiles.categories())));
      replace(tmp, target);
      return names.stream().map(target::resolve).toList();
    } finally {
      deleteTree(tmp);
    }
  }

  private static String write(Path dir, String name, byte[] content) throws IOException {
    AtomicFiles.write(dir.resolve(name), content);
    return name;
  }

  /** Swaps the finished folder in; the old one is moved aside first, then deleted. */
  private static void replace(Path tmp, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = AtomicFiles.createTemporary(target, true);
      AtomicFiles.move(target, old.resolve("results"));
    }
    AtomicFiles.move(tmp, target);
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
