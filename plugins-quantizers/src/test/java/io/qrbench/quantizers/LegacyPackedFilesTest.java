package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.quantizers.RandomTensors.Dist;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.spi.packed.Packing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packed files of version 1 (the shipped {@code .qrbq} models) read to exactly the floats that
 * version 1's scheme-specific rules gave, and so does the version-2 file they convert to.
 *
 * <p>The version-1 layout and its rules are written out here once more, independently of the
 * reader, as they were before the format opened up: ternary {@code 0f - a, 0f, a}; TTQ {@code 0f -
 * Wn, 0f, Wp}; binary {@code 0f - a, a}; uniform {@code (c - qmax) * s}.
 */
class LegacyPackedFilesTest {

  /** One tensor of a version-1 file. */
  private record V1(
      String name,
      String scheme,
      int[] shape,
      int count,
      int levels,
      float[] scales,
      byte[] payload) {}

  /** Version 1's decoding, one rule per scheme. */
  private static float[] oldRules(V1 t) {
    float[] out = new float[t.count()];
    if (t.scheme().equals("fp32")) {
      ByteBuffer b = ByteBuffer.wrap(t.payload()).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.intBitsToFloat(b.getInt());
      }
      return out;
    }
    byte[] codes = Packing.unpack(t.payload(), t.count(), t.levels());
    float[] s = t.scales();
    int groups = t.scheme().equals("ttq") ? s.length / 2 : s.length;
    int per = t.count() / groups;
    int qmax = (t.levels() - 1) / 2;
    for (int i = 0; i < out.length; i++) {
      int g = i / per;
      int c = codes[i] & 0xFF;
      out[i] =
          switch (t.scheme()) {
            case "ternary" -> c == 2 ? s[g] : c == 1 ? 0f : 0f - s[g];
            case "ttq" -> c == 2 ? s[2 * g] : c == 1 ? 0f : 0f - s[2 * g + 1];
            case "binary" -> c == 1 ? s[g] : 0f - s[g];
            case "uniform" -> (c - qmax) * s[g];
            default -> throw new AssertionError(t.scheme());
          };
    }
    return out;
  }

  /** Parses a version-1 container with the layout of its day (no checks: the files are intact). */
  private static List<V1> parseV1(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1, b.getShort(4), "a version-1 container");
    b.position(16);
    int n = b.getInt();
    List<V1> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String name = new String(bytes(b, Short.toUnsignedInt(b.getShort())), StandardCharsets.UTF_8);
      String scheme = new String(bytes(b, b.get()), StandardCharsets.US_ASCII);
      int[] shape = new int[b.get()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = b.getInt();
      }
      int count = b.getInt();
      int levels = Short.toUnsignedInt(b.getShort());
      float[] scales = new float[b.getInt()];
      for (int i = 0; i < scales.length; i++) {
        scales[i] = b.getFloat();
      }
      out.add(new V1(name, scheme, shape, count, levels, scales, bytes(b, b.getInt())));
    }
    assertEquals(file.length - 4, b.position());
    return out;
  }

  /** Writes a version-1 container as version 1 did. */
  private static byte[] writeV1(List<V1> tensors) {
    ByteBuffer b = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
    b.put("QRBP".getBytes(StandardCharsets.US_ASCII))
        .putShort((short) 1)
        .putShort((short) 0)
        .putLong(0);
    b.putInt(tensors.size());
    for (V1 t : tensors) {
      byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
      b.putShort((short) name.length).put(name);
      b.put((byte) t.scheme().length()).put(t.scheme().getBytes(StandardCharsets.US_ASCII));
      b.put((byte) t.shape().length);
      Arrays.stream(t.shape()).forEach(b::putInt);
      b.putInt(t.count()).putShort((short) t.levels()).putInt(t.scales().length);
      for (float s : t.scales()) {
        b.putFloat(s);
      }
      b.putInt(t.payload().length).put(t.payload());
    }
    int length = b.position() + 4;
    b.putLong(8, length);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return Arrays.copyOf(b.array(), length);
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }

  /** The new reader, and the version-2 file it converts to, against the old rules. */
  private static void assertReadsAsVersionOneDid(byte[] container, String what) {
    List<V1> old = parseV1(container);
    List<PackedTensor> read = Packing.decode(container);
    byte[] converted = Packing.encode(read);
    assertEquals(
        Packing.VERSION, ByteBuffer.wrap(converted).order(ByteOrder.LITTLE_ENDIAN).getShort(4));
    List<PackedTensor> reread = Packing.decode(converted);
    assertEquals(old.size(), read.size());
    for (int i = 0; i < old.size(); i++) {
      V1 o = old.get(i);
      int[] expected = bits(oldRules(o));
      assertEquals(o.name(), read.get(i).name());
      assertEquals(o.scheme(), read.get(i).label(), "the old scheme stays as the label");
      assertArrayEquals(o.shape(), read.get(i).shape());
      assertArrayEquals(expected, bits(read.get(i).values()), what + ": " + o.name());
      assertArrayEquals(expected, bits(reread.get(i).values()), what + " converted: " + o.name());
    }
  }

  /** The container inside a {@code .qrbq}: magic, 4-byte metadata length, metadata, container. */
  private static byte[] container(byte[] qrbq) {
    assertEquals("QRBQ1\n", new String(qrbq, 0, 6, StandardCharsets.US_ASCII));
    int len = ByteBuffer.wrap(qrbq, 6, 4).getInt();
    return Arrays.copyOfRange(qrbq, 10 + len, qrbq.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet20-twn", "resnet20-ttq"})
  void theShippedModelsReadToTheSameFloatsAsBefore(String model) throws IOException {
    Path file = Path.of("..", "models", model, model + ".qrbq");
    byte[] c = container(Files.readAllBytes(file));
    List<V1> old = parseV1(c);
    String scheme = model.endsWith("twn") ? "ternary" : "ttq";
    long quantized = old.stream().filter(t -> t.scheme().equals(scheme)).count();
    assertTrue(
        quantized >= 17,
        model + " has its hidden convolutions packed as " + scheme + ": " + quantized);
    assertReadsAsVersionOneDid(c, model);
  }

  @Test
  void everyVersionOneSchemeReadsToTheSameFloatsAsBefore() {
    Random r = new Random(71);
    for (int trial = 0; trial < 200; trial++) {
      int[] l = RandomTensors.layout(r);
      int[] shape = {l[0], l[1]};
      int n = l[0] * l[1];
      float[] w =
          RandomTensors.draw(
              r, trial % 20 == 0 ? Dist.ZEROS : RandomTensors.anyNonDegenerate(r), n);
      Granularity g = Granularity.values()[trial % 2];
      int groups = g.groups(l[0]);
      List<V1> tensors = new ArrayList<>();
      made.clear();
      tensors.add(v1("twn", shape, "ternary", Ternary.twn(w, l[0], g, DeltaRule.optimal())));
      tensors.add(v1("twn-0.7", shape, "ternary", Ternary.twn(w, l[0], g, DeltaRule.twn())));
      float[] wp = new float[groups];
      float[] wn = new float[groups];
      for (int i = 0;
          i < groups;
          i++) { // trained TTQ scales can be anything: zero and negative too
        wp[i] = r.nextInt(5) == 0 ? 0f : (float) r.nextGaussian();
        wn[i] = r.nextInt(5) == 0 ? 0f : (float) r.nextGaussian();
      }
      tensors.add(v1("ttq", shape, "ttq", Ternary.ttq(w, l[0], g, 0.05, wp, wn)));
      tensors.add(v1("bwn", shape, "binary", Binary.bwn(w, l[0], g)));
      tensors.add(v1("uni", shape, "uniform", Uniform.symmetric(w, l[0], g, 2 + r.nextInt(7))));
      ByteBuffer raw = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : w) {
        raw.putFloat(v);
      }
      tensors.add(new V1("fp", "fp32", shape, n, 0, new float[0], raw.array()));
      for (V1 t :
          tensors) { // and today's quantizers compute exactly the floats of version 1's rules
        if (!t.scheme().equals("fp32")) {
          assertArrayEquals(
              bits(oldRules(t)),
              bits(made.get(t.name()).values()),
              "trial " + trial + " " + t.name());
        }
      }
      assertReadsAsVersionOneDid(writeV1(tensors), "trial " + trial);
    }
  }

  private final java.util.Map<String, Quantized> made = new java.util.HashMap<>();

  /** A tensor as version 1 stored it: the quantizer's codes and its fitted scales. */
  private V1 v1(String name, int[] shape, String scheme, Quantized q) {
    made.put(name, q);
    return new V1(
        name,
        scheme,
        shape,
        q.codes().length,
        q.levels(),
        q.scales(),
        Packing.pack(q.codes(), q.levels()));
  }
}
