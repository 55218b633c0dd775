package io.qrbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarReaderTest {

  private static List<String> read(byte[] tar, boolean readBodies) throws IOException {
    List<String> seen = new ArrayList<>();
    TarReader.read(
        new ByteArrayInputStream(tar),
        (name, size, body) ->
            seen.add(
                name + ":" + size + (readBodies ? ":" + new String(body.readAllBytes()) : "")));
    return seen;
  }

  @Test
  void readsFilesSkipsFoldersAndHonoursPaxNames() throws IOException {
    String longName = "package/" + "x".repeat(120) + ".png";
    byte[] tar =
        new TinyTar()
            .folder("package/")
            .file("package/a.txt", "hello".getBytes())
            .paxFile(longName, "long".getBytes())
            .file("package/b.txt", new byte[0])
            .bytes();
    assertEquals(
        List.of("package/a.txt:5:hello", longName + ":4:long", "package/b.txt:0:"),
        read(tar, true));
  }

  @Test
  void honoursGnuLongNamesAndSkipsLinks() throws IOException {
    String longName = "cifar-10-batches-bin/" + "y".repeat(130) + ".bin";
    byte[] tar =
        new TinyTar()
            .symlink("package/link")
            .gnuLongNameFile(longName, "gnu".getBytes())
            .file("after", "a".getBytes())
            .bytes();
    assertEquals(List.of(longName + ":3:gnu", "after:1:a"), read(tar, true));
  }

  @Test
  void bodiesAHandlerLeavesUnreadAreSkipped() throws IOException {
    byte[] big = new byte[5000];
    byte[] tar = new TinyTar().file("big", big).file("next", "n".getBytes()).bytes();
    assertEquals(List.of("big:5000", "next:1"), read(tar, false));
  }

  @Test
  void aTruncatedArchiveIsAnError() {
    byte[] tar = new TinyTar().file("big", new byte[5000]).bytes();
    byte[] cut = Arrays.copyOf(tar, 512 + 2000);
    IOException e = assertThrows(IOException.class, () -> read(cut, true));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void anArchiveCutInsideAHeaderIsTruncatedToo() {
    byte[] tar = new TinyTar().file("a", "x".getBytes()).file("b", "y".getBytes()).bytes();
    byte[] cut = Arrays.copyOf(tar, 2 * 512 + 300);
    IOException e = assertThrows(IOException.class, () -> read(cut, true));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void aHeaderWithAWrongChecksumIsNotTakenForAnEntry() {
    byte[] tar = new TinyTar().file("data_batch_1.bin", "x".getBytes()).bytes();
    tar[0] = 'D'; // the name changes, the stored checksum does not
    IOException e = assertThrows(IOException.class, () -> read(tar, true));
    assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());
  }

  @Test
  void somethingElseIsNotTakenForAnArchive() {
    byte[] html = "<html><body>Not found</body></html>".repeat(40).getBytes();
    IOException e = assertThrows(IOException.class, () -> read(html, true));
    assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());
  }
}
