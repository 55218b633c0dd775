package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.quantizers.RandomTensors.Dist;
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
    out.add(new Entry(PackedTensor.fp32("bn1.running_var", new int[] {16},
        RandomTensors.draw(r, Dist.UNIFORM, 16)), null));
    out.add(new Entry(PackedTensor.fp32("scalar", new int[0], new float[] {3.25f}), null));
    int k = 0;
    for (int[] shape : shapes) {
      int channels = shape[0];
      int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      for (Granularity g : Granularity.values()) {
        float[] w = RandomTensors.draw(r, RandomTensors.anyNonDegenerate(r), n);
        String p = "layer" + k++ + "." + g.name().toLowerCase() + ".";
        add(out, p + "twn", shape, PackedTensor.TERNARY,
            Ternary.twn(w, channels, g, DeltaRule.twn()));
        add(out, p + "twn-opt", shape, PackedTensor.TERNARY,
            Ternary.twn(w, channels, g, DeltaRule.optimal()));
        float[][] init = Ternary.ttqInitialScales(w, channels, g, Ternary.TTQ_THRESHOLD);
        add(out, p + "ttq", shape, PackedTensor.TTQ,
            Ternary.ttq(w, channels, g, Ternary.TTQ_THRESHOLD, init[0], init[1]));
        add(out, p + "bwn", shape, PackedTensor.BINARY, Binary.bwn(w, channels, g));
        for (int bits = 2; bits <= 8; bits++) {
          add(out, p + "u" + bits, shape, PackedTensor.UNIFORM,
              Uniform.symmetric(w, channels, g, bits));
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
    out.add(new Entry(PackedTensor.of(name, shape, scheme, q), q.values()));
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
          assertArrayEquals(rawBits(expected), rawBits(Packing.dequantize(back.get(i))),
              back.get(i).name());
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
      add(entries, "twn", shape, PackedTensor.TERNARY, Ternary.twn(w, l[0], g,
          new DeltaRule.Factor(r.nextDouble() * 2)));
      add(entries, "ttq", shape, PackedTensor.TTQ, Ternary.ttq(w, l[0], g, r.nextDouble(),
          randomScales(r, g.groups(l[0])), randomScales(r, g.groups(l[0]))));
      add(entries, "bwn", shape, PackedTensor.BINARY, Binary.bwn(w, l[0], g));
      add(entries, "uni", shape, PackedTensor.UNIFORM,
          Uniform.symmetric(w, l[0], g, 2 + r.nextInt(7)));
      entries.add(new Entry(PackedTensor.fp32("fp", shape, w), w));
      List<PackedTensor> back = Packing.decode(Packing.encode(tensors(entries)));
      for (int i = 0; i < entries.size(); i++) {
        assertArrayEquals(rawBits(entries.get(i).expected()),
            rawBits(Packing.dequantize(back.get(i))), entries.get(i).tensor().name());
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
    PackedTensor t = PackedTensor.of("w", new int[] {64, 64, 3, 3}, PackedTensor.TERNARY,
        Ternary.twn(w, 64, Granularity.CHANNEL, DeltaRule.optimal()));
    assertEquals((w.length + 4) / 5, t.payload().length);
    assertEquals(Packing.packedBytes(w.length, 3, 64), t.dataBytes());
    assertEquals(64, t.groups());
    byte[] file = Packing.encode(List.of(t));
    byte[] fp = Packing.encode(List.of(PackedTensor.fp32("w", new int[] {64, 64, 3, 3}, w)));
    assertTrue(file.length * 19 < fp.length, file.length + " vs " + fp.length);
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] file = Packing.encode(tensors(smallModel()));
    for (int len = 0; len < file.length; len++) {
      byte[] cut = Arrays.copyOf(file, len);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Packing.decode(cut), "length " + len);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
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
    assertThrows(IllegalArgumentException.class,
        () -> Packing.decode(Arrays.copyOf(file, file.length + 1)));
    assertThrows(IllegalArgumentException.class, () -> Packing.decode(null));
    IllegalArgumentException magic = assertThrows(IllegalArgumentException.class,
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
    file[4] = 2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Packing.decode(file));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  /**
   * Corruption that a checksum cannot catch (the writer itself was wrong, or someone fixed up
   * the checksum): random byte edits with a recomputed length and CRC must still give either a
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
          Packing.dequantize(t); // an accepted tensor must be usable
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
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Packing.decode(withChecksum(manyTensors)));
    assertTrue(e.getMessage().contains("tensors"), e.getMessage());
    // the first tensor's name length is at 20; its name, scheme and shape follow
    int nameLength = Short.toUnsignedInt(b.getShort(20));
    int schemeAt = 22 + nameLength;
    int rankAt = schemeAt + 1 + file[schemeAt];
    int rank = file[rankAt];
    int countAt = rankAt + 1 + 4 * rank;
    byte[] bigCount = file.clone();
    ByteBuffer.wrap(bigCount).order(ByteOrder.LITTLE_ENDIAN).putInt(countAt + 6, 0x7FFFFFF0);
    assertThrows(IllegalArgumentException.class, () -> Packing.decode(withChecksum(bigCount)));
  }

  @Test
  void packedTensorRejectsInconsistentFields() {
    float[] s1 = {1f};
    byte[] p = new byte[2]; // 10 ternary codes
    int[] shape = {2, 5};
    new PackedTensor("ok", shape, PackedTensor.TERNARY, 3, s1, p, 10);
    new PackedTensor("ok", shape, PackedTensor.TERNARY, 3, new float[2], p, 10);
    new PackedTensor("ok", shape, PackedTensor.TTQ, 3, new float[4], p, 10);
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TERNARY, 3, s1, p, 9));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TERNARY, 3, new float[5], p, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TTQ, 3, new float[3], p, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TERNARY, 3, new float[0], p, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TERNARY, 2, s1, p, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.UNIFORM, 5, s1, p, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TERNARY, 3, s1, new byte[3], 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, "int4", 3, s1, p, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.TERNARY, 3, new float[] {Float.NaN}, p,
            10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", new int[] {2, 0}, PackedTensor.FP32, 0, new float[0],
            new byte[0], 0));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", shape, PackedTensor.FP32, 0, new float[0], new byte[39], 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor(null, shape, PackedTensor.FP32, 0, new float[0], new byte[40], 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("bad \ud800 surrogate", shape, PackedTensor.FP32, 0, new float[0],
            new byte[40], 10));
    assertThrows(IllegalArgumentException.class,
        () -> new PackedTensor("n", new int[] {65536, 65536}, PackedTensor.FP32, 0, new float[0],
            new byte[0], 0));
    assertThrows(IllegalArgumentException.class,
        () -> PackedTensor.of("n", shape, PackedTensor.FP32,
            Binary.bwn(new float[10], 1, Granularity.LAYER)));
    assertThrows(IllegalArgumentException.class,
        () -> PackedTensor.of("n", shape, PackedTensor.TERNARY,
            Binary.bwn(new float[10], 1, Granularity.LAYER)));
  }

  @Test
  void dequantizeRejectsAPayloadWithInvalidCodes() {
    PackedTensor t = new PackedTensor("t", new int[] {5}, PackedTensor.TERNARY, 3,
        new float[] {1f}, new byte[] {(byte) 250}, 5);
    assertThrows(IllegalArgumentException.class, () -> Packing.dequantize(t));
    assertThrows(IllegalArgumentException.class, () -> Packing.dequantize(null));
  }

  private static List<Entry> smallModel() {
    Random r = new Random(67);
    float[] w = RandomTensors.draw(r, Dist.GAUSSIAN, 4 * 3 * 3);
    int[] shape = {4, 3, 3};
    List<Entry> out = new ArrayList<>();
    out.add(new Entry(PackedTensor.fp32("stem", new int[] {2, 3}, RandomTensors.draw(r,
        Dist.GAUSSIAN, 6)), null));
    add(out, "twn", shape, PackedTensor.TERNARY, Ternary.twn(w, 4, Granularity.CHANNEL,
        DeltaRule.optimal()));
    float[][] init = Ternary.ttqInitialScales(w, 4, Granularity.LAYER, 0.05);
    add(out, "ttq", shape, PackedTensor.TTQ, Ternary.ttq(w, 4, Granularity.LAYER, 0.05, init[0],
        init[1]));
    add(out, "bwn", shape, PackedTensor.BINARY, Binary.bwn(w, 4, Granularity.CHANNEL));
    add(out, "u4", shape, PackedTensor.UNIFORM, Uniform.symmetric(w, 4, Granularity.LAYER, 4));
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
