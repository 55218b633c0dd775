package io.qrbench.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesContentLeavesNoTemporaryFileAndIsReadableByAll() throws Exception {
    Path f = dir.resolve("sub/index.html");
    AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", Files.readString(f));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(1, s.count(), "only the target is left");
    }
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }
}
