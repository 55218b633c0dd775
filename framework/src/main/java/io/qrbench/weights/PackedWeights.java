package io.qrbench.weights;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qrbench.ConfigException;
import io.qrbench.io.AtomicFiles;
import io.qrbench.spi.packed.PackedTensor;
import io.qrbench.spi.packed.Packing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A quantized model stored packed: the magic {@code QRBQ1\n}, the metadata as JSON (4-byte length
 * first), then a {@link Packing} container holding every parameter under its path in the block:
 * quantized kernels as the codes and {@link io.qrbench.spi.packed.Decoding} their quantizer gave
 * (ternary at 1.6 bits per weight, binary at 1, k-bit at k), everything else (BatchNorm, biases,
 * full-precision layers) as 32-bit floats, and the quantizer's own state under {@code hook/<i>}.
 * Reading it back gives the quantized model bit for bit, whatever quantizer wrote it: decoding
 * never looks at the quantizer. The container is written in version 2; files with a version-1
 * container (the shipped {@code .qrbq} models) read to the same bits as before (see {@link
 * Packing}).
 */
public final class PackedWeights {
  static final byte[] MAGIC = "QRBQ1\n".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private PackedWeights() {}

  /**
   * Writes a block, its quantized kernels packed.
   *
   * @param packed the packed form of some kernels, by their parameter
   * @param hook the quantizer's own trainable state
   * @return the metadata as written, checksum included
   */
  public static WeightsMetadata save(
      Block block,
      Map<Parameter, PackedTensor> packed,
      List<Parameter> hook,
      WeightsMetadata metadata,
      Path file)
      throws IOException {
    Map<Parameter, PackedTensor> byParam = new IdentityHashMap<>(packed);
    List<PackedTensor> tensors = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      PackedTensor t = byParam.get(p.getValue());
      tensors.add(t != null ? t.named(p.getKey()) : fp32(p.getKey(), p.getValue()));
    }
    for (int i = 0; i < hook.size(); i++) {
      tensors.add(fp32("hook/" + i, hook.get(i)));
    }
    byte[] body = Packing.encode(tensors);
    WeightsMetadata meta = metadata.withSha256(WeightsFile.sha256(body));
    byte[] head = JSON.writeValueAsBytes(meta);
    ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + head.length + 16);
    all.write(MAGIC);
    all.write(ByteBuffer.allocate(4).putInt(head.length).array());
    all.write(head);
    all.write(body);
    AtomicFiles.write(file, all.toByteArray());
    AtomicFiles.write(WeightsFile.sidecar(file), head);
    return meta;
  }

  static boolean isPacked(byte[] file) {
    return file.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC);
  }

  /** Splits a packed file into metadata and container (the caller checks the checksum). */
  static WeightsFile.Contents read(Path file, byte[] all, ObjectMapper json) {
    return WeightsFile.split(file, all, MAGIC.length, json);
  }

  /** Sets every parameter of {@code block} from a packed container; returns the hook state. */
  static NDList load(Block block, NDManager manager, byte[] container, Path file) {
    List<PackedTensor> tensors;
    try {
      tensors = Packing.decode(container);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + " is damaged: " + e.getMessage() + "; quantize it again", e);
    }
    Map<String, PackedTensor> byName = new LinkedHashMap<>();
    tensors.forEach(t -> byName.put(t.name(), t));
    for (Pair<String, Parameter> p : block.getParameters()) {
      PackedTensor t = byName.remove(p.getKey());
      if (t == null) {
        throw new ConfigException(
            file
                + " has no tensor for parameter "
                + p.getKey()
                + "; it was packed from a different model");
      }
      float[] values = decode(t, file);
      if (values.length != p.getValue().getArray().size()) {
        throw new ConfigException(
            file
                + ": "
                + p.getKey()
                + " holds "
                + values.length
                + " values, the model has "
                + p.getValue().getArray().size());
      }
      p.getValue().getArray().set(values);
    }
    NDList hook = new NDList();
    for (int i = 0; byName.containsKey("hook/" + i); i++) {
      PackedTensor t = byName.remove("hook/" + i);
      hook.add(
          manager.create(
              decode(t, file),
              new ai.djl.ndarray.types.Shape(Arrays.stream(t.shape()).asLongStream().toArray())));
    }
    if (!byName.isEmpty()) {
      throw new ConfigException(
          file
              + " holds tensors the model does not have: "
              + byName.keySet()
              + "; it was packed from a different model");
    }
    return hook.isEmpty() ? null : hook;
  }

  private static float[] decode(PackedTensor t, Path file) {
    try {
      return t.values();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          file + " is damaged: " + t.name() + ": " + e.getMessage() + "; quantize it again", e);
    }
  }

  private static PackedTensor fp32(String name, Parameter p) {
    int[] shape =
        Arrays.stream(p.getArray().getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    return PackedTensor.fp32(name, shape, p.getArray().toFloatArray());
  }
}
