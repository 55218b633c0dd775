package io.qrbench.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * TorchScript files made without Python: a TorchScript file is a zip whose {@code code/} entries
 * hold the module's code as text, so editing the forward() of a saved module gives a module that
 * returns a tuple, raises, or returns another shape. The source-range debug entry of the edited
 * code is dropped (it would point into the old text; PyTorch loads without it).
 */
final class TorchScriptEdits {
  /** The tiny classifier of plugins-models' tests: conv 3->4, BatchNorm, pool, dense 4->10. */
  static final Path TINY =
      Path.of(
          "..", "plugins-models", "src", "test", "resources", "torchscript", "tiny_classifier.pt");

  private TorchScriptEdits() {}

  /**
   * Copies {@code source} to {@code target}, replacing text in its top-level module's code.
   *
   * @throws IllegalStateException when a text to replace is not there (the fixture changed)
   */
  static Path edit(Path source, Path target, Map<String, String> replacements) throws IOException {
    try (ZipFile zip = new ZipFile(source.toFile());
        OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        byte[] bytes = zip.getInputStream(e).readAllBytes();
        if (e.getName().endsWith("/code/__torch__.py.debug_pkl")) {
          continue;
        }
        if (e.getName().endsWith("/code/__torch__.py")) {
          String code = new String(bytes, StandardCharsets.UTF_8);
          for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!code.contains(r.getKey())) {
              throw new IllegalStateException(
                  "'" + r.getKey() + "' is not in the module's code:\n" + code);
            }
            code = code.replace(r.getKey(), r.getValue());
          }
          bytes = code.getBytes(StandardCharsets.UTF_8);
        }
        // stored, as torch.jit.save writes them
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setMethod(ZipEntry.STORED);
        copy.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        copy.setCrc(crc.getValue());
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
      }
    }
    return target;
  }

  /**
   * Where the bytes of zip entry {@code name} start in {@code zip}: after its local header, name
   * and extra field.
   */
  static int dataOffset(byte[] zip, String name) {
    int at = new String(zip, StandardCharsets.ISO_8859_1).indexOf(name);
    int header = at - 30; // the fixed part of a local file header
    int nameLength = (zip[header + 26] & 0xff) | (zip[header + 27] & 0xff) << 8;
    int extraLength = (zip[header + 28] & 0xff) | (zip[header + 29] & 0xff) << 8;
    return header + 30 + nameLength + extraLength;
  }
}
