package io.qrbench.weights;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qrbench.ConfigException;
import io.qrbench.util.AtomicFiles;
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

/**
 * A model's parameters with metadata, in one file: the magic {@code QRBW2\n}, a 4-byte length, the
 * metadata as JSON, then DJL's parameter encoding. A JSON copy of the metadata is written beside it
 * ({@code <file>.json}) for people and tools. Both are written atomically.
 */
public final class WeightsFile {
  private static final byte[] MAGIC = "QRBW2\n".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private WeightsFile() {}

  /**
   * Saves the parameters of an initialised block with its metadata; the checksum is computed here.
   *
   * @return the metadata as written, checksum included
   */
  public static WeightsMetadata save(Block block, WeightsMetadata metadata, Path file) throws IOException {
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(params)) {
      block.saveParameters(out);
    }
    byte[] body = params.toByteArray();
    WeightsMetadata meta = metadata.withSha256(sha256(body));
    byte[] head = JSON.writeValueAsBytes(meta);
    ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + head.length + 16);
    all.write(MAGIC);
    all.write(ByteBuffer.allocate(4).putInt(head.length).array());
    all.write(head);
    all.write(body);
    AtomicFiles.write(file, all.toByteArray());
    AtomicFiles.write(sidecar(file), head);
    return meta;
  }

  /** The metadata of a weights file, without loading its parameters. */
  public static WeightsMetadata readMetadata(Path file) {
    return read(file).metadata();
  }

  /**
   * Loads parameters into an initialised block of the same architecture.
   *
   * @return the file's metadata
   * @throws ConfigException when the file is missing, not a qrbench weights file, damaged (its
   *     checksum does not match), or written for another architecture
   */
  public static WeightsMetadata load(Block block, NDManager manager, Path file) {
    Contents c = read(file);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(c.body()))) {
      block.loadParameters(manager, in);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      throw new ConfigException("cannot load weights from " + file + " (" + c.metadata().architecture() + " "
          + c.metadata().modelConfig() + "): " + e.getMessage()
          + "; the file was saved for a different model configuration", e);
    }
    return c.metadata();
  }

  /** The metadata file written beside {@code file}. */
  public static Path sidecar(Path file) {
    return file.resolveSibling(file.getFileName() + ".json");
  }

  private record Contents(WeightsMetadata metadata, byte[] body) {}

  private static Contents read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("weights file not found: " + file
          + "; check the 'weights' path (relative to the suite's folder)");
    }
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read weights file " + file + ": " + e.getMessage(), e);
    }
    if (all.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new ConfigException(file + " is not a qrbench weights file (bad header); use weights saved by "
          + "'qrbench train' or a qrbench run");
    }
    int len = ByteBuffer.wrap(all, MAGIC.length, 4).getInt();
    int start = MAGIC.length + 4;
    if (len < 0 || start + len > all.length) {
      throw new ConfigException(file + " is truncated (metadata runs past the end of the file); train or copy it again");
    }
    WeightsMetadata meta;
    try {
      meta = JSON.readValue(Arrays.copyOfRange(all, start, start + len), WeightsMetadata.class);
    } catch (IOException e) {
      throw new ConfigException(file + " has unreadable metadata: " + e.getMessage(), e);
    }
    byte[] body = Arrays.copyOfRange(all, start + len, all.length);
    String sum = sha256(body);
    if (meta.sha256() != null && !meta.sha256().equals(sum)) {
      throw new ConfigException(file + " is damaged: its parameters' SHA-256 is " + sum + ", the file says "
          + meta.sha256() + "; train or copy it again");
    }
    return new Contents(meta, body);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
