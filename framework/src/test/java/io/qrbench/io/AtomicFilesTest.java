package io.qrbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Every file under {@code root}, as paths relative to it. */
  private static Set<String> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toSet());
    }
  }

  @Test
  void replacesContentAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("sub/index.html");
    AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", Files.readString(f));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(1, s.count(), "only the target is left");
    }
  }

  @Test
  void aNewFileGetsThePermissionsOfAnyNewFileInItsFolder() throws Exception {
    assumeTrue(posix(dir), "POSIX permissions are not supported on this file system");
    Path plain = Files.createFile(dir.resolve("plain"));
    Path atomic = dir.resolve("atomic");
    AtomicFiles.write(atomic, new byte[] {1});
    assertEquals(permissions(plain), permissions(atomic));
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws Exception {
    assumeTrue(posix(dir), "POSIX permissions are not supported on this file system");
    Path f = dir.resolve("results.json");
    AtomicFiles.write(f, new byte[] {1});
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    AtomicFiles.write(f, new byte[] {2});
    assertEquals("rw-------", permissions(f));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r-----"));
    AtomicFiles.write(f, new byte[] {3});
    assertEquals("r--r-----", permissions(f), "a read-only file is replaced, and stays read-only");
    assertEquals(3, Files.readAllBytes(f)[0]);
  }

  /**
   * Writes {@code args[0]/atomic} with AtomicFiles and creates {@code args[0]/plain}, in a child
   * with its own umask.
   */
  public static void main(String[] args) throws IOException {
    Path d = Path.of(args[0]);
    AtomicFiles.write(d.resolve("atomic"), new byte[] {1});
    Files.createFile(d.resolve("plain"));
    AtomicFiles.writeTogether(
        d, staging -> Files.write(staging.resolve("together"), new byte[] {2}));
  }

  @Test
  void theUmaskOfTheProcessDecidesWhoMayReadANewFile() throws Exception {
    assumeTrue(
        posix(dir) && Files.isExecutable(Path.of("/bin/sh")),
        "needs POSIX permissions and /bin/sh");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String[] umask :
        List.of(new String[] {"077", "rw-------"}, new String[] {"027", "rw-r-----"})) {
      Path d = Files.createDirectory(dir.resolve("umask-" + umask[0]));
      Process p =
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  "umask "
                      + umask[0]
                      + " && exec \"$0\" -cp \"$1\" "
                      + AtomicFilesTest.class.getName()
                      + " \"$2\"",
                  java,
                  cp,
                  d.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
      assertEquals(0, p.exitValue(), output);
      assertEquals(umask[1], permissions(d.resolve("plain")), "umask " + umask[0]);
      assertEquals(
          umask[1],
          permissions(d.resolve("atomic")),
          "umask " + umask[0] + ": as a plain new file");
      assertEquals(
          umask[1],
          permissions(d.resolve("together")),
          "umask " + umask[0] + ": as a plain new file");
    }
  }

  @Test
  void staleTemporariesOfThisClassAreRemovedAndNothingElse() throws Exception {
    List<String> stale =
        List.of(
            ".results.json.8812734.tmp",
            "models/.A.params.18446744073709551615.tmp",
            ".crafted/pgd-1f/.batch-0.bin.42.tmp",
            ".together.77.tmp/A.params",
            ".together.77.tmp/A.params.json");
    List<String> kept =
        List.of(
            "results.json",
            ".qrbench.lock",
            "models/A.params",
            ".results.json.tmp",
            "notes.tmp",
            ".x.12a.tmp",
            "results.json.1.tmp",
            ".crafted/pgd-1f/batch-0.bin",
            "a/b/c/.deep.json.5.tmp");
    for (String f : concat(stale, kept)) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.writeString(dir.resolve(f), f);
    }
    List<Path> removed = AtomicFiles.removeStaleTemporaries(dir);
    assertEquals(
        Set.copyOf(kept), files(dir), "a/b/c is deeper than a run's folder goes: not searched");
    assertEquals(4, removed.size(), "three files and one folder: " + removed);
    assertFalse(Files.exists(dir.resolve(".together.77.tmp")));
    assertEquals(List.of(), AtomicFiles.removeStaleTemporaries(dir.resolve("missing")));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  @Test
  void aFullDiskLeavesTheTargetAsItWasAndSaysWhatItNeeded() throws Exception {
    Path f = dir.resolve("results.json");
    AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
    NoSpaceException e;
    try (FullDisk disk = FullDisk.after(dir, 10)) {
      e = assertThrows(NoSpaceException.class, () -> AtomicFiles.write(f, new byte[2048]));
    }
    assertEquals(
        "no space left on the device to write "
            + f.toAbsolutePath()
            + ": 2.0 KB needed, 10 bytes free",
        e.getMessage());
    assertEquals(f, e.file());
    assertEquals("old", Files.readString(f), "the complete old version stays");
    assertEquals(Set.of("results.json"), files(dir), "no temporary file is left");
    AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
    assertEquals("new", Files.readString(f), "once there is space again, writes succeed");
  }

  @Test
  void filesWrittenTogetherAllTakeTheirPlaceOrNoneDoes() throws Exception {
    AtomicFiles.writeTogether(
        dir,
        d -> {
          Files.writeString(d.resolve("w.params"), "weights 1");
          return Files.writeString(d.resolve("w.params.json"), "metadata 1");
        });
    assertEquals(Set.of("w.params", "w.params.json"), files(dir));
    try (FullDisk disk =
        FullDisk.forFiles(dir, p -> p.getFileName().toString().endsWith(".json"))) {
      NoSpaceException e =
          assertThrows(
              NoSpaceException.class,
              () ->
                  AtomicFiles.writeTogether(
                      dir,
                      d -> {
                        AtomicFiles.write(
                            d.resolve("w.params"), "weights 2".getBytes(StandardCharsets.UTF_8));
                        AtomicFiles.write(
                            d.resolve("w.params.json"),
                            "metadata 2".getBytes(StandardCharsets.UTF_8));
                        return null;
                      }));
      assertTrue(
          e.getMessage().contains("w.params.json: 10 bytes needed, 0 bytes free"), e.getMessage());
    }
    assertEquals(
        "weights 1",
        Files.readString(dir.resolve("w.params")),
        "the weights stay with their metadata");
    assertEquals("metadata 1", Files.readString(dir.resolve("w.params.json")));
    assertEquals(Set.of("w.params", "w.params.json"), files(dir), "the staging folder is gone");
  }

  @Test
  void byteCountsReadAsPeopleWriteThem() {
    assertEquals("1 byte", NoSpaceException.bytes(1));
    assertEquals("1023 bytes", NoSpaceException.bytes(1023));
    assertEquals("1.0 KB", NoSpaceException.bytes(1024));
    assertEquals("1.5 MB", NoSpaceException.bytes(3 << 19));
    assertEquals("2.0 GB", NoSpaceException.bytes(2L << 30));
  }
}
