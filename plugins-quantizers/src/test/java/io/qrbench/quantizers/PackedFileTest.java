package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.quantizers.RandomTensors.Dist;
import io.qrbench.spi.packed.Decoding;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.spi.packed.Packing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PackedFileTest {

  /** A quantized tensor together with the values it must dequantize to. */
  private record Entry(PackedTensor tensor, float[] expected) {}

  private static int[] rawBits(float[] v) {
    int[] bits = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      bits[i] = Float.floatToRawIntBits(v[i]);
    }
    return bits;
  }

  /** A ResNet-like model: fp32 stem and head, every quantized scheme in between. */
  private static List<Entry> model(Random r) {
    List<Entry> out = new ArrayList<>();
    int[][] shapes = {{16, 3, 3, 3}, {16, 16, 3, 3}, {32, 16, 3, 3}, {10, 64}, {7, 5}, {4}};
    float[] stem = RandomTensors.draw(r, Dist.GAUSSIAN, 16 * 27);
    stem[0] = -0f; // signed zero and extremes must survive fp32 storage exactly
    stem[1] = Float.MIN_VALUE;
    stem[2] = Float.MAX_VALUE;
    stem[3] = -Float.MIN_NORMAL;
    out.add(new Entry(PackedTensor.fp32("conv1.weight", shapes[0], stem), stem));
    out.add(
        new Entry(
            PackedTensor.fp32(
                "bn1.running_var", new int[] {16}, RandomTensors.draw(r, Dist.UNIFORM, 16)),
            null));
    out.add(new Entry(PackedTensor.fp32("scalar", new int[0], new float[] {3.25f}), null));
    int k = 0;
    for (int[] shape : shapes) {
      int channels = shape[0];
      int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      for (Granularity g : Granularity.values()) {
        float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), n);
        String p = "layer" + k++ + "." + g.name().toLowerCase() + ".";
        add(out, p + "twn", shape, "twn", Ternary.twn(w, channels, g, DeltaRule.twn()));
        add(out, p + "twn-opt", shape, "twn", Ternary.twn(w, channels, g, DeltaRule.optimal()));
        float[][] init = Ternary.ttqInitialScales(w, channels, g, Ternary.TTQ_THRESHOLD);
        add(
            out,
            p + "ttq",
            shape,
            "ttq",
            Ternary.ttq(w, channels, g, Ternary.TTQ_THRESHOLD, init[0], init[1]));
        add(out, p + "bwn", shape, "binary", Binary.bwn(w, channels, g));
        for (int bits = 2; bits <= 8; bits++) {
          add(out, p + "u" + bits, shape, "uniform", Uniform.symmetric(w, channels, g, bits));
        }
      }
    }
    float[] head = RandomTensors.draw(r, Dist.LAPLACE, 10 * 64);
    out.add(new Entry(PackedTensor.fp32("fc.weight", new int[] {10, 64}, head), head));
    out.add(new Entry(PackedTensor.fp32("名前.ü", new int[] {1}, new float[] {1f}), null));
    out.add(new Entry(PackedTensor.fp32("", new int[] {2}, new float[] {1f, 2f}), null));
    return out;
  }

  private static void add(List<Entry> out, String name, int[] shape, String scheme, Quantized q) {
    out.add(new Entry(q.pack(name, shape, scheme), q.values()));
  }

  private static List<PackedTensor> tensors(List<Entry> entries) {
    return entries.stream().map(Entry::tensor).toList();
  }

  @Test
  void aWholeModelRoundTripsBitForBit() {
    Random r = new Random(61);
    for (int trial = 0; trial < 10; trial++) {
      List<Entry> entries = model(r);
      byte[] file = Packing.encode(tensors(entries));
      List<PackedTensor> back = Packing.decode(file);
      assertEquals(tensors(entries), back);
      assertArrayEquals(file, Packing.encode(back), "encoding is canonical");
      for (int i = 0; i < entries.size(); i++) {
        float[] expected = entries.get(i).expected();
        if (expected != null) {
          assertArrayEquals(rawBits(expected), rawBits(back.get(i).values()), back.get(i).name());
        }
      }
    }
  }

  @Test
  void randomQuantizedTensorsDequantizeExactly() {
    Random r = new Random(62);
    for (int trial = 0; trial < 500; trial++) {
      int[] l = RandomTensors.layout(r);
      int[] shape = {l[0], l[1]};
      Dist d = trial % 25 == 0 ? Dist.ZEROS : RandomTensors.anyNonDegenerate(r);
      float[] w = RandomTensors.draw(r, d, l[0] * l[1]);
      Granularity g = Granularity.values()[trial % 2];
      List<Entry> entries = new ArrayList<>();
      add(
          entries,
          "twn",
          shape,
          "twn",
          Ternary.twn(w, l[0], g, new DeltaRule.Factor(r.nextDouble() * 2)));
      add(
          entries,
          "ttq",
          shape,
          "ttq",
          Ternary.ttq(
              w,
              l[0],
              g,
              r.nextDouble(),
              randomScales(r, g.groups(l[0])),
              randomScales(r, g.groups(l[0]))));
      add(entries, "bwn", shape, "binary", Binary.bwn(w, l[0], g));
      add(entries, "uni", shape, "uniform", Uniform.symmetric(w, l[0], g, 2 + r.nextInt(7)));
      entries.add(new Entry(PackedTensor.fp32("fp", shape, w), w));
      List<PackedTensor> back = Packing.decode(Packing.encode(tensors(entries)));
      for (int i = 0; i < entries.size(); i++) {
        assertArrayEquals(
            rawBits(entries.get(i).expected()),
            rawBits(back.get(i).values()),
            entries.get(i).tensor().name());
      }
    }
  }

  private static float[] randomScales(Random r, int n) {
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = r.nextInt(10) == 0 ? 0f : (float) (r.nextGaussian() * 0.1);
    }
    return s;
  }

  @Test
  void emptyModelAndSizes() {
    byte[] empty = Packing.encode(List.of());
    assertEquals(24, empty.length); // 20-byte header + CRC
    assertEquals(List.of(), Packing.decode(empty));
    // a ternary layer costs about 1.6 bits per weight: 20x smaller than fp32
    float[] w = RandomTensors.draw(new Random(63), Dist.GAUSSIAN, 64 * 64 * 9);
    PackedTensor t =
        Ternary.twn(w, 64, Granularity.CHANNEL, DeltaRule.optimal())
            .pack("w", new int[] {64, 64, 3, 3}, "twn");
    assertEquals((w.length + 4) / 5, t.payload().length);
    assertEquals(Packing.packedBytes(w.length, 3, 64), t.dataBytes());
    assertEquals(64, t.decoding().groups());
    byte[] file = Packing.encode(List.of(t));
    byte[] fp = Packing.encode(List.of(PackedTensor.fp32("w", new int[] {64, 64, 3, 3}, w)));
    assertTrue(file.length * 19 < fp.length, file.length + " vs " + fp.length);
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] file = Packing.encode(tensors(smallModel()));
    for (int len = 0; len < file.length; len++) {
      byte[] cut = Arrays.copyOf(file, len);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Packing.decode(cut), "length " + len);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Packing.decode(Arrays.copyOf(file, file.length - 10)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void everySingleByteCorruptionIsRejected() {
    byte[] file = Packing.encode(tensors(smallModel()));
    Random r = new Random(64);
    for (int pos = 0; pos < file.length; pos++) {
      byte[] bad = file.clone();
      bad[pos] ^= (byte) (1 + r.nextInt(255));
      assertThrows(IllegalArgumentException.class, () -> Packing.decode(bad), "byte " + pos);
    }
  }

  @Test
  void trailingBytesAndGarbageAreRejected() {
    byte[] file = Packing.encode(tensors(smallModel()));
    assertThrows(
        IllegalArgumentException.class, () -> Packing.decode(Arrays.copyOf(file, file.length + 1)));
    assertThrows(IllegalArgumentException.class, () -> Packing.decode(null));
    IllegalArgumentException magic =
        assertThrows(
            IllegalArgumentException.class,
            () -> Packing.decode("PK\u0003\u0004 not ours".getBytes()));
    assertTrue(magic.getMessage().contains("not a qrbench packed file"), magic.getMessage());
    Random r = new Random(65);
    for (int trial = 0; trial < 5000; trial++) {
      byte[] junk = new byte[r.nextInt(200)];
      r.nextBytes(junk);
      if (trial % 2 == 0 && junk.length >= 4) {
        System.arraycopy(Packing.magic(), 0, junk, 0, 4);
      }
      assertThrows(IllegalArgumentException.class, () -> Packing.decode(junk));
    }
  }

  @Test
  void unknownVersionIsNamed() {
    byte[] file = Packing.encode(List.of());
    file[4] = 3;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Packing.decode(file));
    assertTrue(e.getMessage().contains("version 3"), e.getMessage());
  }

  /**
   * Corruption that a checksum cannot catch (the writer itself was wrong, or someone fixed up the
   * checksum): random byte edits with a recomputed length and CRC must still give either a
   * consistent decode or an IllegalArgumentException, never another exception.
   */
  @Test
  void structurallyCorruptFilesWithValidChecksumsGiveIllegalArgument() {
    byte[] file = Packing.encode(tensors(smallModel()));
    Random r = new Random(66);
    int rejected = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] bad = file.clone();
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        bad[20 + r.nextInt(bad.length - 24)] = (byte) r.nextInt(256); // keep the header
      }
      try {
        List<PackedTensor> back = Packing.decode(withChecksum(bad));
        for (PackedTensor t : back) {
          t.values(); // an accepted tensor must be usable
        }
      } catch (IllegalArgumentException expected) {
        rejected++;
      } catch (RuntimeException other) {
        fail("trial " + trial + ": " + other, other);
      }
    }
    assertTrue(rejected > 1000, "rejected " + rejected);
  }

  @Test
  void hugeCountsWithValidChecksumsAreRejectedWithoutAllocating() {
    byte[] file = Packing.encode(tensors(smallModel()));
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    byte[] manyTensors = file.clone();
    ByteBuffer.wrap(manyTensors).order(ByteOrder.LITTLE_ENDIAN).putInt(16, -1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Packing.decode(withChecksum(manyTensors)));
    assertTrue(e.getMessage().contains("tensors"), e.getMessage());
    // the first tensor's name length is at 20; its name, label and shape follow, then levels
    // (u16), groups (u32), offset (i32) and the codebook's float count (u32)
    int nameLength = Short.toUnsignedInt(b.getShort(20));
    int labelAt = 22 + nameLength;
    int rankAt = labelAt + 1 + file[labelAt];
    int rank = file[rankAt];
    int levelsAt = rankAt + 1 + 4 * rank;
    for (int field : new int[] {2, 10, 14, 18}) { // groups, codebook, scales, zeros
      byte[] big = file.clone();
      ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putInt(levelsAt + field, 0x7FFFFFF0);
      assertThrows(IllegalArgumentException.class, () -> Packing.decode(withChecksum(big)));
    }
  }

  @Test
  void packedTensorRejectsInconsistentFields() {
    Decoding g1 = Decoding.grid(3, 1, new float[] {1f});
    byte[] p = new byte[2]; // 10 ternary codes
    int[] shape = {2, 5};
    new PackedTensor("ok", shape, "twn", g1, p);
    new PackedTensor("ok", shape, "twn", Decoding.grid(3, 1, new float[2]), p);
    new PackedTensor("ok", shape, "ttq", Decoding.codebookPerGroup(3, new float[6]), p);
    new PackedTensor("ok", shape, "any", Decoding.grid(3, 1, new float[10]), p); // one per element
    assertThrows(
        IllegalArgumentException.class, // 3 groups do not split 10 elements
        () -> new PackedTensor("n", shape, "twn", Decoding.grid(3, 1, new float[3]), p));
    assertThrows(
        IllegalArgumentException.class, // 10 codes of 4 levels take 3 bytes
        () -> new PackedTensor("n", shape, "u", Decoding.grid(4, 1, new float[1]), p));
    assertThrows(
        IllegalArgumentException.class, () -> new PackedTensor("n", shape, "twn", g1, new byte[3]));
    assertThrows(
        IllegalArgumentException.class, () -> new PackedTensor("n", shape, "tab\t", g1, p));
    assertThrows(
        IllegalArgumentException.class, () -> new PackedTensor("n", shape, "x".repeat(256), g1, p));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PackedTensor("n", new int[] {2, 0}, "fp32", Decoding.raw(), new byte[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, "fp32", Decoding.raw(), new byte[39]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PackedTensor(null, shape, "fp32", Decoding.raw(), new byte[40]));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new PackedTensor("bad \ud800 surrogate", shape, "fp32", Decoding.raw(), new byte[40]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PackedTensor("n", new int[] {65536, 65536}, "fp32", Decoding.raw(), new byte[0]));
    assertThrows(
        IllegalArgumentException.class,
        () -> PackedTensor.of("n", shape, "fp32", new byte[10], Decoding.raw()));
    assertThrows(
        IllegalArgumentException.class, // code 2 with 2 levels
        () ->
            PackedTensor.of(
                "n",
                shape,
                "b",
                new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                Decoding.codebook(-1f, 1f)));
  }

  @Test
  void decodingRejectsInconsistentFields() {
    float[] none = new float[0];
    assertThrows(IllegalArgumentException.class, () -> new Decoding(1, 1, 0, none, none, none));
    assertThrows(IllegalArgumentException.class, () -> new Decoding(257, 1, 0, none, none, none));
    assertThrows(IllegalArgumentException.class, () -> new Decoding(3, 0, 0, none, none, none));
    assertThrows(
        IllegalArgumentException.class, () -> new Decoding(3, 2, 0, new float[4], none, none));
    assertThrows(
        IllegalArgumentException.class, () -> new Decoding(3, 1, 1, new float[3], none, none));
    assertThrows(
        IllegalArgumentException.class, () -> new Decoding(3, 2, 0, none, new float[1], none));
    assertThrows(
        IllegalArgumentException.class, () -> new Decoding(3, 2, 0, none, none, new float[3]));
    assertThrows(
        IllegalArgumentException.class, () -> new Decoding(3, 1, 70_000, none, none, none));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Decoding(3, 1, 0, none, new float[] {Float.NaN}, none));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Decoding(2, 1, 0, new float[] {1f, Float.POSITIVE_INFINITY}, none, none));
    assertThrows(
        IllegalArgumentException.class, () -> new Decoding(0, 1, 0, none, new float[1], none));
    assertThrows(IllegalArgumentException.class, () -> Decoding.grid(3, 1, null));
    assertThrows(IllegalArgumentException.class, () -> Decoding.codebookPerGroup(3, new float[4]));
    assertThrows(IllegalArgumentException.class, () -> Decoding.raw().decode(new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> g(3).decode(new byte[] {3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Decoding.grid(3, 1, new float[2]).decode(new byte[3]));
  }

  private static Decoding g(int levels) {
    return Decoding.grid(levels, 0, new float[] {1f});
  }

  /** The formula of the class comment, step by step, on hand-picked numbers. */
  @Test
  void decodingFollowsItsFormula() {
    // grid: (c - offset) * s[g] + z[g], two groups
    Decoding d =
        new Decoding(4, 2, 1, new float[0], new float[] {0.5f, 2f}, new float[] {10f, -1f});
    assertArrayEquals(
        new float[] {9.5f, 10f, 10.5f, 11f, -3f, -1f, 1f, 3f},
        d.decode(new byte[] {0, 1, 2, 3, 0, 1, 2, 3}));
    // shared codebook, no scales
    assertArrayEquals(
        new float[] {-0.75f, 0.25f, 0.25f},
        Decoding.codebook(-0.75f, 0.25f).decode(new byte[] {0, 1, 1}));
    // per-group codebook times a scale
    Decoding pg =
        new Decoding(2, 2, 0, new float[] {1f, 2f, 3f, 4f}, new float[] {10f, 100f}, new float[0]);
    assertArrayEquals(new float[] {20f, 10f, 300f, 400f}, pg.decode(new byte[] {1, 0, 0, 1}));
    // without zeros a -0 stays -0; adding a zero point of +0 makes it +0
    assertEquals(
        Float.floatToRawIntBits(-0f),
        Float.floatToRawIntBits(Decoding.codebook(-0f, 1f).value(0, 0)));
    assertEquals(
        0,
        Float.floatToRawIntBits(
            new Decoding(2, 1, 0, new float[] {-0f, 1f}, new float[0], new float[] {0f})
                .value(0, 0)));
  }

  @Test
  void dequantizeRejectsAPayloadWithInvalidCodes() {
    PackedTensor t =
        new PackedTensor(
            "t",
            new int[] {5},
            "twn",
            Decoding.grid(3, 1, new float[] {1f}),
            new byte[] {(byte) 250});
    assertThrows(IllegalArgumentException.class, t::values);
  }

  private static List<Entry> smallModel() {
    Random r = new Random(67);
    float[] w = RandomTensors.draw(r, Dist.GAUSSIAN, 4 * 3 * 3);
    int[] shape = {4, 3, 3};
    List<Entry> out = new ArrayList<>();
    out.add(
        new Entry(
            PackedTensor.fp32("stem", new int[] {2, 3}, RandomTensors.draw(r, Dist.GAUSSIAN, 6)),
            null));
    add(out, "twn", shape, "twn", Ternary.twn(w, 4, Granularity.CHANNEL, DeltaRule.optimal()));
    float[][] init = Ternary.ttqInitialScales(w, 4, Granularity.LAYER, 0.05);
    add(out, "ttq", shape, "ttq", Ternary.ttq(w, 4, Granularity.LAYER, 0.05, init[0], init[1]));
    add(out, "bwn", shape, "binary", Binary.bwn(w, 4, Granularity.CHANNEL));
    add(out, "u4", shape, "uniform", Uniform.symmetric(w, 4, Granularity.LAYER, 4));
    return out;
  }

  /** Rewrites the header's length and the trailing CRC so only the structure is wrong. */
  private static byte[] withChecksum(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(8, file.length);
    CRC32 crc = new CRC32();
    crc.update(file, 0, file.length - 4);
    b.putInt(file.length - 4, (int) crc.getValue());
    return file;
  }
}
