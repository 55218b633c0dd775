package io.qrbench.weights;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qrbench.ConfigException;
import io.qrbench.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A model's parameters with metadata, in one file: the magic {@code QRBW3\n}; the metadata as JSON;
 * DJL's encoding of the block's parameters; and the quantizer's own trainable state (TTQ's scales)
 * as an encoded list, empty for most models. Each part is preceded by its 4-byte length; the
 * SHA-256 in the metadata covers the last two. A JSON copy of the metadata is written beside the
 * file ({@code <file>.json}) for people and tools. Both are written atomically.
 */
public final class WeightsFile {
  private static final byte[] MAGIC = "QRBW3\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FAMILY = "QRBW".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private WeightsFile() {}

  /**
   * Saves the parameters of an initialised block with its metadata; the checksum is computed here.
   *
   * @return the metadata as written, checksum included
   */
  public static WeightsMetadata save(Block block, WeightsMetadata metadata, Path file)
      throws IOException {
    return save(block, List.of(), metadata, file);
  }

  /**
   * Saves a block's parameters and the quantizer's trainable state ({@code extra}) with metadata.
   *
   * @return the metadata as written, checksum included
   */
  public static WeightsMetadata save(
      Block block, List<Parameter> extra, WeightsMetadata metadata, Path file) throws IOException {
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(params)) {
      block.saveParameters(out);
    }
    byte[] p = params.toByteArray();
    byte[] x =
        extra.isEmpty()
            ? new byte[0]
            : new NDList(extra.stream().map(Parameter::getArray).toList()).encode();
    ByteArrayOutputStream body = new ByteArrayOutputStream(p.length + x.length + 8);
    try (DataOutputStream out = new DataOutputStream(body)) {
      out.writeInt(p.length);
      out.write(p);
      out.writeInt(x.length);
      out.write(x);
    }
    WeightsMetadata meta = metadata.withSha256(sha256(body.toByteArray()));
    byte[] head = JSON.writeValueAsBytes(meta);
    ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + head.length + 16);
    all.write(MAGIC);
    all.write(ByteBuffer.allocate(4).putInt(head.length).array());
    all.write(head);
    body.writeTo(all);
    AtomicFiles.write(file, all.toByteArray());
    AtomicFiles.write(sidecar(file), head);
    return meta;
  }

  /**
   * What a load gave: the file's metadata and the quantizer state it holds.
   *
   * @param metadata the file's metadata
   * @param extra the quantizer's trainable state, null when the file holds none
   */
  public record Loaded(WeightsMetadata metadata, NDList extra) {}

  /**
   * Copies saved quantizer state into the hook's parameters.
   *
   * @throws ConfigException when the counts or shapes differ
   */
  public static void restore(List<Parameter> params, NDList saved, Path file) {
    if (saved.size() != params.size()) {
      throw new ConfigException(
          file
              + " holds "
              + saved.size()
              + " quantizer state tensors, the model's quantizer has "
              + params.size()
              + "; load it with the quantizer it was trained with");
    }
    for (int i = 0; i < params.size(); i++) {
      NDArray target = params.get(i).getArray();
      if (!target.getShape().equals(saved.get(i).getShape())) {
        throw new ConfigException(
            file
                + ": quantizer state "
                + i
                + " has shape "
                + saved.get(i).getShape()
                + ", the model's has "
                + target.getShape());
      }
      target.set(saved.get(i).toByteBuffer());
    }
  }

  /** The metadata of a weights file, without loading its parameters. */
  public static WeightsMetadata readMetadata(Path file) {
    return read(file).metadata();
  }

  /**
   * Loads parameters into an initialised block of the same architecture.
   *
   * @return the file's metadata and quantizer state
   * @throws ConfigException when the file is missing, not a qrbench weights file, damaged (its
   *     checksum does not match), or written for another architecture
   */
  public static Loaded load(Block block, NDManager manager, Path file) {
    Contents c = read(file);
    if (c.packed()) {
      return new Loaded(c.metadata(), PackedWeights.load(block, manager, c.body(), file));
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(c.body()))) {
      byte[] params = in.readNBytes(in.readInt());
      try (DataInputStream p = new DataInputStream(new ByteArrayInputStream(params))) {
        block.loadParameters(manager, p);
      }
      byte[] extra = in.readNBytes(in.readInt());
      return new Loaded(c.metadata(), extra.length == 0 ? null : NDList.decode(manager, extra));
    } catch (MalformedModelException | IOException | RuntimeException e) {
      throw new ConfigException(
          "cannot load weights from "
              + file
              + " ("
              + c.metadata().architecture()
              + " "
              + c.metadata().modelConfig()
              + "): "
              + (e.getMessage() == null
                  ? "its parameters do not fit the model"
                  // DJL names the block by its Java class: the simple name is what a user
                  // recognises
                  : e.getMessage()
                      .strip()
                      .lines()
                      .findFirst()
                      .orElse("")
                      .replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z]\\w*)", "$1"))
              + "; the file was saved for a different model configuration than its metadata says"
              + "\n    fix: name weights saved for this model, or train it again",
          e);
    }
  }

  /** The metadata file written beside {@code file}. */
  public static Path sidecar(Path file) {
    return file.resolveSibling(file.getFileName() + ".json");
  }

  /** A weights file split into its metadata and the bytes the checksum covers. */
  record Contents(WeightsMetadata metadata, byte[] body, boolean packed) {
    Contents(WeightsMetadata metadata, byte[] body) {
      this(metadata, body, false);
    }
  }

  /** Whether {@code file} is in the packed format ({@code .qrbq}), judged by its header. */
  public static boolean isPacked(Path file) {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return PackedWeights.isPacked(in.readNBytes(MAGIC.length));
    } catch (IOException e) {
      return false; // read() reports the file properly
    }
  }

  private static Contents read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "weights file not found: "
              + file
              + "; check the 'weights' path (relative to the suite's folder)");
    }
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read weights file " + file + ": " + e.getMessage(), e);
    }
    if (all.length == 0) {
      throw new ConfigException("weights file " + file + " is empty" + AGAIN);
    }
    if (PackedWeights.isPacked(all)) {
      Contents packed = PackedWeights.read(file, all, JSON);
      return new Contents(packed.metadata(), checked(file, packed.metadata(), packed.body()), true);
    }
    if (all.length >= MAGIC.length
        && Arrays.equals(Arrays.copyOf(all, FAMILY.length), FAMILY)
        && !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new ConfigException(
          file
              + " was written in an older qrbench weights format ("
              + new String(all, 0, MAGIC.length - 1, StandardCharsets.US_ASCII)
              + "); train it again with this qrbench");
    }
    if (!Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new ConfigException(
          "weights file "
              + file
              + " is not a qrbench weights file: it starts with neither "
              + "QRBW3 (.params) nor QRBQ1 (.qrbq)\n    fix: name weights saved by 'qrbench train', a qrbench run or "
              + "'qrbench quantize' (a TorchScript .pt needs model: {id: torchscript, ...})");
    }
    Contents plain = split(file, all, MAGIC.length, JSON);
    return new Contents(plain.metadata(), checked(file, plain.metadata(), plain.body()));
  }

  private static final String AGAIN =
      "\n    fix: copy it again from where it was made, or train or quantize it again";

  /**
   * Splits a file after its magic into metadata and the checksummed body; shared by both formats.
   *
   * @throws ConfigException when the file ends inside its header or the metadata is not readable
   */
  static Contents split(Path file, byte[] all, int start, ObjectMapper json) {
    if (all.length < start + 4) {
      throw new ConfigException(
          "weights file " + file + " is truncated: it ends inside its header" + AGAIN);
    }
    int len = ByteBuffer.wrap(all, start, 4).getInt();
    int head = start + 4;
    if (len < 0 || head + len > all.length) {
      throw new ConfigException(
          "weights file "
              + file
              + " is truncated: its metadata runs past the end of the file"
              + AGAIN);
    }
    WeightsMetadata meta;
    try {
      meta = json.readValue(Arrays.copyOfRange(all, head, head + len), WeightsMetadata.class);
    } catch (
        com.fasterxml.jackson.databind.exc.MismatchedInputException
            e) { // its message names Java types
      throw new ConfigException(
          "weights file "
              + file
              + " is damaged: its metadata's '"
              + e.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .collect(java.util.stream.Collectors.joining("."))
              + "' has the wrong type"
              + AGAIN,
          e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(
          "weights file "
              + file
              + " is damaged: its metadata is not readable JSON ("
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + ")"
              + AGAIN,
          e);
    } catch (IOException e) {
      throw new ConfigException("cannot read weights file " + file + ": " + e.getMessage(), e);
    }
    if (meta == null
        || meta.architecture() == null
        || meta.quantizer() == null
        || meta.sha256() == null) {
      throw new ConfigException(
          "weights file "
              + file
              + " is damaged: its metadata lacks "
              + (meta == null
                  ? "everything"
                  : meta.architecture() == null
                      ? "the architecture"
                      : meta.quantizer() == null ? "the quantizer" : "the checksum (sha256)")
              + AGAIN);
    }
    return new Contents(meta, Arrays.copyOfRange(all, head + len, all.length));
  }

  /** {@code body} itself, once its SHA-256 matches the metadata's. */
  private static byte[] checked(Path file, WeightsMetadata meta, byte[] body) {
    String sum = sha256(body);
    if (!meta.sha256().equals(sum)) {
      throw new ConfigException(
          "weights file "
              + file
              + " is damaged or truncated: the SHA-256 of its parameters is "
              + sum
              + ", its metadata says "
              + meta.sha256()
              + AGAIN);
    }
    return body;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
