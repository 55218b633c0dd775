package io.qrbench.reports.allure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.TestResult;
import io.qrbench.io.AtomicFiles;
import io.qrbench.result.RunResult;
import io.qrbench.spi.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Allure 2 results: one {@code <uuid>-result.json} per case and per suite check, plus the
 * environment, executor and categories files, for {@code allure generate} to render
 * (docs/allure.md). The folder is built beside its final place and then swapped in, so a render
 * replaces an earlier one whole rather than merging with it.
 */
public final class AllureReportWriter implements ReportWriter<AllureReportWriter.Config> {
  /**
   * Allure's model classes carry no Jackson annotations: their enums are written as Allure writes
   * them (lower case, {@code "passed"}), and unset fields are left out rather than written as null.
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .addModule(
              new SimpleModule("allure-model")
                  .addSerializer(Status.class, new Lowercase<>(Status.class, Status::value))
                  .addSerializer(Stage.class, new Lowercase<>(Stage.class, Stage::value))
                  .addSerializer(
                      Parameter.Mode.class,
                      new Lowercase<>(
                          Parameter.Mode.class, m -> m.name().toLowerCase(Locale.ROOT))))
          .build();

  /**
   * Where to write.
   *
   * @param dir the folder name inside the output folder
   */
  public record Config(
      @JsonPropertyDescription("folder name inside the output folder (default allure-results)")
          String dir) {
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
      for (TestResult r : AllureResults.of(result)) {
        names.add(write(tmp, r.getUuid() + "-result.json", MAPPER.writeValueAsBytes(r)));
      }
      names.add(
          write(
              tmp,
              "environment.properties",
              AllureRunFiles.environmentProperties(result).getBytes(StandardCharsets.ISO_8859_1)));
      names.add(
          write(tmp, "executor.json", MAPPER.writeValueAsBytes(AllureRunFiles.executor(result))));
      names.add(
          write(tmp, "categories.json", MAPPER.writeValueAsBytes(AllureRunFiles.categories())));
      replace(tmp, target);
      return names.stream().map(target::resolve).toList();
    } finally {
      deleteTree(tmp);
    }
  }

  /** An enum of Allure's model as the string Allure's own writer gives it. */
  private static final class Lowercase<E> extends ToStringSerializerBase {
    private final transient Function<E, String> value;

    Lowercase(Class<E> type, Function<E, String> value) {
      super(type);
      this.value = value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public String valueToString(Object v) {
      return value.apply((E) v);
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
