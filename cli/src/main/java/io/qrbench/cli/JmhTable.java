package io.qrbench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises a JMH JSON result file and renders it as a table (the rendering lives in reports). */
final class JmhTable {
  private JmhTable() {}

  /** JMH writes a JSON array of objects with a {@code benchmark} key; results.json is an object. */
  static boolean isJmhResult(Path file) throws IOException {
    byte[] start = new byte[4096];
    int n;
    try (var in = Files.newInputStream(file)) {
      n = in.readNBytes(start, 0, start.length); // the head tells; results files can be megabytes
    }
    String head = new String(start, 0, n, StandardCharsets.UTF_8).stripLeading();
    return head.startsWith("[") && head.contains("\"benchmark\"");
  }

  static String render(Path file) throws IOException {
    var rows = io.qrbench.reports.jmh.JmhResults.read(file);
    return io.qrbench.reports.jmh.JmhResults.toText(rows);
  }
}
