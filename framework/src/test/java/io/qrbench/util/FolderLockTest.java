package io.qrbench.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {
  @TempDir Path dir;

  private static final String PID = Long.toString(ProcessHandle.current().pid());

  @Test
  void aSecondLockInThisProcessIsRefusedNamingTheHolderAndTheFix() {
    Path out = dir.resolve("out");
    List<String> said = new ArrayList<>();
    try (FolderLock lock = FolderLock.acquire(out, "qrbench run suites/a.yaml", said::add)) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> FolderLock.acquire(out, "qrbench run suites/b.yaml", said::add));
      String m = e.getMessage();
      assertTrue(
          m.startsWith(
              out.toAbsolutePath()
                  + " is in use by 'qrbench run suites/a.yaml' (pid "
                  + PID
                  + " on "),
          m);
      assertTrue(m.contains(", started 20") && m.endsWith("or pass --out to write elsewhere"), m);
      assertEquals(1, m.lines().count(), m);
      // another path to the same folder is the same folder
      assertThrows(
          ConfigException.class,
          () -> FolderLock.acquire(out.resolve("..").resolve("out"), "x", said::add));
    }
    try (FolderLock again = FolderLock.acquire(out, "qrbench run suites/b.yaml", said::add)) {
      assertEquals(List.of(), said, "a lock released in order is not stale");
    }
  }

  @Test
  void aFileIsNotAFolder() throws Exception {
    Path file = Files.writeString(dir.resolve("results"), "x");
    ConfigException e =
        assertThrows(ConfigException.class, () -> FolderLock.acquire(file, "x", s -> {}));
    assertEquals(
        file.toAbsolutePath() + " is a file, not a folder; pass --out a folder", e.getMessage());
  }

  @Test
  void aStaleLockFileIsReportedInOneLineAndTakenOver() throws Exception {
    Path lockFile = Files.createDirectories(dir).resolve(FolderLock.FILE);
    Files.writeString(
        lockFile,
        "pid=999999\nhost=elsewhere\nstarted=2024-01-02T03:04:05Z\ncommand=qrbench train s.yaml\n");
    List<String> said = new ArrayList<>();
    try (FolderLock lock = FolderLock.acquire(dir, "qrbench run x.yaml", said::add)) {
      assertEquals(
          List.of(
              "taking over "
                  + dir.toRealPath().resolve(FolderLock.FILE)
                  + ": it was left by "
                  + "'qrbench train s.yaml' (pid 999999 on elsewhere, started 2024-01-02T03:04:05Z), which is gone"),
          said);
    }
    assertEquals("", Files.readString(lockFile), "released: empty, a free lock");
  }

  /** Holds a lock on {@code args[0]} until its input closes, for the test below. */
  public static void main(String[] args) throws IOException {
    try (FolderLock lock = FolderLock.acquire(Path.of(args[0]), "qrbench run held.yaml", s -> {})) {
      System.out.println("locked");
      System.out.flush();
      System.in.read();
    }
  }

  @Test
  void anotherProcessHoldingTheFolderIsNamedAndItsDeathFreesIt() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(java, "-cp", cp, FolderLockTest.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      ConfigException e =
          assertThrows(
              ConfigException.class, () -> FolderLock.acquire(dir, "qrbench run x.yaml", s -> {}));
      assertTrue(
          e.getMessage().contains("'qrbench run held.yaml' (pid " + child.pid() + " on "),
          e.getMessage());
      assertTrue(
          Files.readString(dir.resolve(FolderLock.FILE)).contains("pid=" + child.pid()),
          "looking did not disturb the holder's lock file");
    } finally {
      child.destroyForcibly().waitFor();
    }
    List<String> said = new ArrayList<>();
    try (FolderLock lock = FolderLock.acquire(dir, "qrbench run x.yaml", said::add)) {
      assertEquals(1, said.size(), said.toString());
      assertTrue(
          said.get(0).contains("(pid " + child.pid() + " on ")
              && said.get(0).endsWith("which is gone"),
          said.get(0));
    }
  }
}
