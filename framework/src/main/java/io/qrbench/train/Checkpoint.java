package io.qrbench.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qrbench.ConfigException;
import io.qrbench.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A training's state after an epoch: what it trains (the spec's fingerprint), the epochs done and
 * their log, the parameters (BatchNorm statistics included) and the optimizer's momentum buffers.
 * That is everything a resumed training needs to continue bit for bit: shuffling and augmentation
 * are derived from the seed, the epoch and the image, and the schedule from the step.
 *
 * @param fingerprint the spec's fingerprint
 * @param epochsDone epochs finished
 * @param log one entry per finished epoch
 */
public record Checkpoint(String fingerprint, int epochsDone, List<EpochLog> log) {
  private static final byte[] MAGIC = "QRBC1\n".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public Checkpoint {
    log = List.copyOf(log);
  }

  /**
   * Writes the checkpoint atomically: the block's parameters, the hook's state, the optimizer's.
   */
  public void save(Block block, NDList hookState, NDList optimizerState, Path file)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      byte[] head = JSON.writeValueAsBytes(this);
      out.writeInt(head.length);
      out.write(head);
      ByteArrayOutputStream params = new ByteArrayOutputStream();
      try (DataOutputStream p = new DataOutputStream(params)) {
        block.saveParameters(p);
      }
      out.writeInt(params.size());
      params.writeTo(out);
      byte[] hook =
          hookState.isEmpty() ? new byte[0] : hookState.encode(); // an empty list does not decode
      out.writeInt(hook.length);
      out.write(hook);
      byte[] state = optimizerState.encode();
      out.writeInt(state.length);
      out.write(state);
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /** A checkpoint read back: its header and saved states, the parameters loaded into the block. */
  public record Restored(Checkpoint checkpoint, NDList hookState, NDList optimizerState) {}

  /**
   * Reads a checkpoint, loading its parameters into {@code block} and its optimizer state into
   * {@code manager}.
   *
   * @throws ConfigException when the file is not a checkpoint or does not fit the model
   */
  public static Restored load(Path file, Block block, NDManager manager) {
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
        throw new ConfigException(
            file + " is not a qrbench training checkpoint; remove it or use another --out");
      }
      Checkpoint c = JSON.readValue(in.readNBytes(in.readInt()), Checkpoint.class);
      byte[] params = in.readNBytes(in.readInt());
      try (DataInputStream p = new DataInputStream(new ByteArrayInputStream(params))) {
        block.loadParameters(manager, p);
      }
      byte[] hookBytes = in.readNBytes(in.readInt());
      NDList hook = hookBytes.length == 0 ? new NDList() : NDList.decode(manager, hookBytes);
      NDList state = NDList.decode(manager, in.readNBytes(in.readInt()));
      return new Restored(c, hook, state);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      if (e instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException(
          "cannot resume from "
              + file
              + ": "
              + e.getMessage()
              + "; the checkpoint is damaged or belongs to another model; start again without --resume",
          e);
    }
  }
}
