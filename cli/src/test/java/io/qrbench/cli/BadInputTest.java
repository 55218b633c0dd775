package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the whole command line, in-process. Each file under {@code
 * src/test/resources/bad-inputs/suites} (a suite) or {@code .../specs} (a training spec) is one
 * case; its first line says what must happen, e.g. {@code # expect: exit 2, at 5:13, contains
 * "batch-size", "65536", lacks "models.0"}. A suite is given to {@code validate} and {@code run}, a
 * spec to {@code validate} and {@code train}. Inputs that cannot be committed as they are (20 MB,
 * not UTF-8, NUL bytes, thousands of brackets) are made by {@link #GENERATED}; results.json files
 * damaged in one field each, by {@link #RESULTS}. Every case checks the exit code, the
 * file:line:column and the words of the message, and that no Java class name or stack trace reaches
 * the user; a case that exits 2 must also name the file, say how to fix it and write nothing at
 * all, in --out or outside it.
 */
class BadInputTest {
  private static final Path ROOT = Path.of("src/test/resources/bad-inputs");
  private static final Pattern LEAK =
      Pattern.compile(
          "java\\.|javax\\.|com\\.fasterxml|org\\.yaml|\\bat io\\.qrbench|\\tat |\\b[A-Z]\\w*(Exception|Error)\\b");

  @TempDir static Path tmp;

  /**
   * A valid suite that the generated cases spoil, and that makes the results the results cases
   * damage.
   */
  static final String SUITE =
      """
      name: bad-input
      seed: 1
      dataset: {id: synthetic, split: test, train-size: 100, test-size: 40}
      models:
        - {name: FP, model: {id: small-cnn, width: 4}, train: {epochs: 1, batch-size: 50}}
      perturbations: [none, {id: gaussian, var: 0.05}]
      batch-size: 20
      """;

  static final String SPEC =
      """
      name: bad-spec
      seed: 1
      model: {id: small-cnn, width: 4}
      dataset: {id: synthetic, train-size: 100, test-size: 40}
      epochs: 1
      batch-size: 50
      augment: {crop-padding: 0, flip: false}
      """;

  /**
   * One generated input: its kind ({@code suites} or {@code specs}), a name saying what it tests,
   * its bytes, and its expectation in the same words as a file's first line ({@code AT} is replaced
   * by the place {@code where} computes from the bytes, independently of qrbench).
   */
  record Generated(String kind, String name, Supplier<byte[]> bytes, String expect) {}

  static final List<Generated> GENERATED =
      List.of(
          new Generated(
              "suites",
              "size-20-mb",
              () -> padded(SUITE, 20 << 20),
              "exit 2, contains \"the suite is 20.0 MB\", \"at most 1 MB\""),
          new Generated(
              "specs",
              "size-2-mb",
              () -> padded(SPEC, 2 << 20),
              "exit 2, contains \"the training spec is 2.0 MB\", \"at most 1 MB\""),
          new Generated(
              "suites",
              "check-with-3000-nested-parentheses",
              () ->
                  utf8(
                      SUITE
                          + "checks: [\""
                          + "(".repeat(3000)
                          + "FP.clean.top1"
                          + ")".repeat(3000)
                          + " > 0\"]\n"),
              "exit 2, at 8:10, contains \"checks[0]\", \"nest deeper than 64 levels at column 65\""),
          new Generated(
              "suites",
              "yaml-nested-3000-deep",
              () -> utf8(SUITE + "description: " + "[".repeat(3000) + "]".repeat(3000) + "\n"),
              "exit 2, at 8:77, contains \"nested deeper than 64 levels\""), // the root mapping is
          // the first level
          new Generated(
              "suites",
              "not-utf8-latin1-on-line-8",
              () -> latin1(SUITE + "description: caf\u00e9 au lait\n"),
              "exit 2, at 8:17, contains \"not UTF-8 at byte "
                  + (utf8(SUITE).length + 17)
                  + " (line 8)\", \"save the file as UTF-8\""),
          new Generated(
              "specs",
              "not-utf8-latin1-on-line-8",
              () -> latin1(SPEC + "description: na\u00efve\n"),
              "exit 2, at 8:16, contains \"not UTF-8 at byte "
                  + (utf8(SPEC).length + 16)
                  + " (line 8)\""),
          new Generated(
              "suites",
              "utf16-with-byte-order-mark",
              () -> ("\ufeff" + SUITE).getBytes(StandardCharsets.UTF_16LE),
              "exit 2, at 1:1, contains \"not UTF-8 at byte 1 (line 1)\""),
          new Generated(
              "suites",
              "nul-on-line-2",
              () -> utf8(SUITE.replace("seed: 1\n", "seed: 1\0\n")),
              "exit 2, at 2:8, contains \"U+0000\""),
          new Generated(
              "specs",
              "nul-on-line-3",
              () -> utf8(SPEC.replace("model: {id", "model: {\0id")),
              "exit 2, at 3:9, contains \"U+0000\""));

  /**
   * A results.json of a real run, damaged in one way, and what {@code report} and {@code compare}
   * must say.
   */
  record Damaged(String name, Consumer<ObjectNode> damage, List<String> commands, String expect) {}

  static final List<Damaged> RESULTS =
      List.of(
          new Damaged(
              "suite-null",
              r -> r.putNull("suite"),
              List.of("report", "compare"),
              "exit 2, contains \"suite: missing\", lacks \"NullPointer\""),
          new Damaged(
              "cases-missing",
              r -> r.remove("cases"),
              List.of("report", "compare"),
              "exit 2, contains \"cases: missing\""),
          new Damaged(
              "top1-250",
              r -> metrics(r).put("top1", 250.0),
              List.of("report", "compare"),
              "exit 2, contains \"cases[0].metrics.top1: 250.0 is outside [0, 100]\""),
          new Damaged(
              "images-negative",
              r -> metrics(r).put("images", -5),
              List.of("report", "compare"),
              "exit 2, contains \"cases[0].metrics.images: -5 is outside\""),
          new Damaged(
              "correct1-above-images",
              r -> metrics(r).put("correct1", metrics(r).get("images").asInt() + 1),
              List.of("report"),
              "exit 2, contains \"cases[0].metrics.correct1\", \"is outside [0, 40]\""),
          new Damaged(
              "top1-not-correct1-over-images",
              r -> metrics(r).put("top1", metrics(r).get("top1").asDouble() + 0.5),
              List.of("report"),
              "exit 2, contains \"cases[0].metrics.top1\", \"is not correct1/images\""),
          new Damaged(
              "outcomes-not-base64",
              r -> metrics(r).put("outcomes", "not base64!"),
              List.of("compare"),
              "exit 2, contains \"cases[0].metrics.outcomes: not a base64 bit set\""),
          new Damaged(
              "status-unknown",
              r -> r.put("status", "done"),
              List.of("report"),
              "exit 2, contains \"status: 'done' is none of running, complete, failed\""),
          new Damaged(
              "incomplete-run",
              r -> r.put("status", "running"),
              List.of("compare"),
              "exit 2, contains \"the run is incomplete (status 'running', 2 case(s) finished)\", \"--resume\""),
          new Damaged(
              "other-dataset",
              r -> ((ObjectNode) r.get("suite")).put("dataset", "cifar10"),
              List.of("compare"),
              "exit 2, contains \"the runs evaluated different data (base: synthetic/test, new: cifar10/test)\""),
          new Damaged(
              "other-limit",
              r -> ((ObjectNode) r.get("suite")).put("limit", 20).put("images", 20),
              List.of("compare"),
              "exit 2, contains \"the runs evaluated different images (base: 40 images, new: 20 images, --limit 20)\""),
          new Damaged(
              "no-case-in-common",
              r ->
                  r.withArray("cases")
                      .forEach(c -> ((ObjectNode) c).put("id", "x" + c.get("id").asText())),
              List.of("compare"),
              "exit 2, contains \"no case could be compared\", \"only in new\""));

  private static Path baseResults;

  @BeforeAll
  static void aRealRun() throws IOException {
    Path suite = Files.writeString(tmp.resolve("base.yaml"), SUITE);
    CliRunner r = CliRunner.run("run", suite.toString(), "--out", tmp.resolve("base").toString());
    assertEquals(0, r.exitCode(), r::toString);
    baseResults = tmp.resolve("base/results.json");
  }

  @TestFactory
  Stream<DynamicTest> committedInputs() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String kind : List.of("suites", "specs")) {
      try (Stream<Path> files = Files.list(ROOT.resolve(kind))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          String first = Files.readString(f).lines().findFirst().orElse("");
          assertTrue(
              first.startsWith("# expect: "), f + ": its first line must be '# expect: ...'");
          tests.add(
              DynamicTest.dynamicTest(
                  kind + "/" + f.getFileName(),
                  () -> check(kind, f, Expectation.parse(first.substring("# expect: ".length())))));
        }
      }
    }
    assertTrue(tests.size() >= 40, "the committed cases are found: " + tests.size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> generatedInputs() {
    return GENERATED.stream()
        .map(
            g ->
                DynamicTest.dynamicTest(
                    g.kind() + "/" + g.name() + " (generated)",
                    () -> {
                      Path f = tmp.resolve("inputs").resolve(g.kind()).resolve(g.name() + ".yaml");
                      Files.createDirectories(f.getParent());
                      Files.write(f, g.bytes().get());
                      check(g.kind(), f, Expectation.parse(g.expect()));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> damagedResults() {
    ObjectMapper json = new ObjectMapper();
    return RESULTS.stream()
        .map(
            d ->
                DynamicTest.dynamicTest(
                    "results/" + d.name(),
                    () -> {
                      ObjectNode tree = (ObjectNode) json.readTree(baseResults.toFile());
                      d.damage().accept(tree);
                      Path f =
                          tmp.resolve("inputs/results").resolve(d.name()).resolve("results.json");
                      Files.createDirectories(f.getParent());
                      json.writeValue(f.toFile(), tree);
                      Expectation e = Expectation.parse(d.expect());
                      for (String command : d.commands()) {
                        Path out = tmp.resolve("out/results").resolve(d.name() + "-" + command);
                        CliRunner r =
                            command.equals("report")
                                ? CliRunner.run(
                                    "report",
                                    f.toString(),
                                    "--format",
                                    "csv",
                                    "--out",
                                    out.toString())
                                : CliRunner.run("compare", baseResults.toString(), f.toString());
                        verify(e, f, r, command);
                        if (e.exit() == Main.BAD_INPUT) {
                          assertFalse(
                              Files.exists(out),
                              () -> command + " wrote " + out + " though it exited 2\n" + r);
                        }
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> reportIntoAFile() {
    return Stream.of(
        DynamicTest.dynamicTest(
            "results/report --out an existing file",
            () -> {
              Path file = Files.writeString(tmp.resolve("a-file.txt"), "keep me");
              CliRunner r =
                  CliRunner.run(
                      "report",
                      baseResults.toString(),
                      "--format",
                      "csv",
                      "--out",
                      file.toString());
              verify(
                  Expectation.parse(
                      "exit 2, contains \"--out " + file + ": is a file, not a folder\""),
                  file,
                  r,
                  "report");
              assertEquals("keep me", Files.readString(file));
            }));
  }

  @TestFactory
  Stream<DynamicTest> optionsOutOfRange() {
    return Stream.of(
        DynamicTest.dynamicTest(
            "specs/train --epochs 1000000000",
            () -> {
              Path spec = Files.writeString(tmp.resolve("epochs-option.yaml"), SPEC);
              Path out = tmp.resolve("out/epochs-option");
              CliRunner r =
                  CliRunner.run(
                      "train", spec.toString(), "--epochs", "1000000000", "--out", out.toString());
              assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
              assertTrue(
                  r.err().contains("--epochs: expected an integer in [1, 10000], found 1000000000"),
                  r::toString);
              assertFalse(LEAK.matcher(r.out() + r.err()).find(), r::toString);
              assertFalse(Files.exists(out), r::toString);
            }));
  }

  /** Runs every command a file of {@code kind} goes through and checks what the user sees. */
  private static void check(String kind, Path file, Expectation e) throws IOException {
    String command = kind.equals("suites") ? "run" : "train";
    Path caseDir = tmp.resolve("cases").resolve(kind + "-" + file.getFileName());
    Path out =
        caseDir.resolve(
            "a/b/out"); // two levels down: a name escaping by ../../ stays inside caseDir
    StringBuilder seen = new StringBuilder();
    for (String c : e.commands().isEmpty() ? List.of("validate", command) : e.commands()) {
      CliRunner r =
          c.equals("validate")
              ? CliRunner.run("validate", file.toString())
              : CliRunner.run(c, file.toString(), "--out", out.toString());
      seen.append(r.out()).append(r.err());
      // a valid input's words are looked for in what all its commands said; a bad one's in each
      // message
      verify(e.exit() == Main.OK ? e.without(e.contains()) : e, file, r, c);
      if (e.exit() == Main.BAD_INPUT) {
        assertTrue(
            r.err().contains("fix:") || r.err().contains("; "),
            () -> c + ": no fix in the message\n" + r);
        List<Path> written = written(caseDir);
        assertEquals(List.of(), written, () -> c + " wrote files though it exited 2\n" + r);
      }
    }
    for (String s : e.exit() == Main.OK ? e.contains() : List.<String>of()) {
      assertTrue(seen.toString().contains(s), () -> "missing '" + s + "' in\n" + seen);
    }
  }

  private static void verify(Expectation e, Path file, CliRunner r, String command) {
    String all = r.out() + r.err();
    assertEquals(e.exit(), r.exitCode(), () -> command + ": exit code\n" + r);
    Matcher leak = LEAK.matcher(all);
    if (leak.find()) {
      fail(
          command + ": a Java name or stack trace reaches the user ('" + leak.group() + "')\n" + r);
    }
    if (e.exit() == Main.BAD_INPUT) {
      assertTrue(
          r.err().contains(file.toString()),
          () -> command + ": the message does not name " + file + "\n" + r);
      assertTrue(r.err().lines().count() <= 12, () -> command + ": a message, not a page\n" + r);
    }
    if (e.at() != null) {
      assertTrue(
          r.err().contains(file + ":" + e.at() + ":"),
          () -> command + ": not located at " + file + ":" + e.at() + "\n" + r);
    }
    for (String s : e.contains()) {
      assertTrue(all.contains(s), () -> command + ": missing '" + s + "'\n" + r);
    }
    for (String s : e.lacks()) {
      assertFalse(all.contains(s), () -> command + ": should not say '" + s + "'\n" + r);
    }
  }

  private static List<Path> written(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * What a case expects: {@code exit N}, optionally {@code at LINE:COLUMN}, {@code commands a b},
   * {@code contains "..." , "..."} and {@code lacks "..."}.
   */
  record Expectation(
      int exit, String at, List<String> commands, List<String> contains, List<String> lacks) {
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern CLAUSE =
        Pattern.compile("(exit|at|commands|contains|lacks)\\s+([^,\"]*(?:\"[^\"]*\"\\s*,?\\s*)*)");

    /** The same expectation without these words to look for. */
    Expectation without(List<String> words) {
      return new Expectation(
          exit, at, commands, contains.stream().filter(w -> !words.contains(w)).toList(), lacks);
    }

    static Expectation parse(String text) {
      Integer exit = null;
      String at = null;
      List<String> commands = new ArrayList<>();
      List<String> contains = new ArrayList<>();
      List<String> lacks = new ArrayList<>();
      Matcher m = CLAUSE.matcher(text);
      int end = 0;
      while (m.find()) {
        if (!text.substring(end, m.start()).matches("[\\s,]*")) {
          throw new IllegalArgumentException(
              "cannot read the expectation '" + text + "' near " + text.substring(end));
        }
        end = m.end();
        String arg = m.group(2).trim();
        switch (m.group(1)) {
          case "exit" -> exit = Integer.parseInt(arg.replaceAll("[,\\s]", ""));
          case "at" -> at = arg.replaceAll("[,\\s]", "");
          case "commands" -> commands.addAll(List.of(arg.replace(",", " ").trim().split("\\s+")));
          default -> {
            List<String> target = m.group(1).equals("contains") ? contains : lacks;
            Matcher q = QUOTED.matcher(arg);
            while (q.find()) {
              target.add(q.group(1));
            }
          }
        }
      }
      if (exit == null || !text.substring(end).isBlank()) {
        throw new IllegalArgumentException("cannot read the expectation '" + text + "'");
      }
      return new Expectation(exit, at, commands, contains, lacks);
    }
  }

  private static ObjectNode metrics(JsonNode results) {
    return (ObjectNode) results.get("cases").get(0).get("metrics");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code text} followed by comment lines up to {@code size} bytes: valid YAML, only too large.
   */
  private static byte[] padded(String text, int size) {
    StringBuilder sb = new StringBuilder(size + 100).append(text);
    String line = "# " + "padding ".repeat(12) + "\n";
    while (sb.length() + line.length() < size) {
      sb.append(line);
    }
    sb.append("#".repeat(size - sb.length() - 1)).append('\n');
    return utf8(sb.toString());
  }
}
