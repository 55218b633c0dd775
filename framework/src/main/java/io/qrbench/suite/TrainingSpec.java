package io.qrbench.suite;

import io.qrbench.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A validated training spec for {@code qrbench train}.
 *
 * @param file the spec file as the user named it
 * @param source the spec's YAML text, kept with the checkpoints
 * @param name names the output weights
 * @param seed initialisation, shuffling and augmentation derive from it
 * @param model the model plugin and its configuration
 * @param dataset the dataset plugin: trained on its train split, evaluated on its test split
 * @param limit train on the first N training images only, or null for all
 * @param testLimit evaluate on the first N test images only, or null for all
 * @param quantizer quantization-aware training through the quantizer's layer hook (fp32: none)
 * @param init a weights file to start from (fine-tuning), or null to start from scratch
 * @param epochs epochs to train
 * @param batchSize images per step
 * @param optimizer SGD settings
 * @param schedule learning-rate schedule
 * @param augment training-time augmentation
 */
public record TrainingSpec(
    String file,
    String source,
    String name,
    long seed,
    PluginConfig model,
    PluginConfig dataset,
    Integer limit,
    Integer testLimit,
    PluginConfig quantizer,
    Path init,
    int epochs,
    int batchSize,
    OptimizerSpec optimizer,
    ScheduleSpec schedule,
    AugmentSpec augment) {
  /** The most epochs a spec or {@code --epochs} may ask for. */
  static final int MAX_EPOCHS = 10_000;

  /**
   * The same spec trained for another number of epochs (the CLI's {@code --epochs}).
   *
   * @throws io.qrbench.ConfigException when {@code newEpochs} is outside the range a spec's {@code
   *     epochs} accepts
   */
  public TrainingSpec withEpochs(int newEpochs) {
    if (newEpochs < 1 || newEpochs > MAX_EPOCHS) {
      throw new io.qrbench.ConfigException(
          "--epochs: expected an integer in [1, "
              + MAX_EPOCHS
              + "], found "
              + newEpochs
              + "; "
              + Bounds.EPOCHS);
    }
    return new TrainingSpec(
        file, source, name, seed, model, dataset, limit, testLimit, quantizer, init, newEpochs,
        batchSize, optimizer, schedule, augment);
  }

  /** The same spec started from other weights (the CLI's {@code --init}). */
  public TrainingSpec withInit(Path newInit) {
    return new TrainingSpec(
        file, source, name, seed, model, dataset, limit, testLimit, quantizer, newInit, epochs,
        batchSize, optimizer, schedule, augment);
  }

  /**
   * Identifies what this spec trains; a checkpoint resumes only under the same fingerprint. The
   * starting weights count by their content, not their path, so a clone elsewhere resumes too.
   */
  public String fingerprint() {
    MessageDigest md = Sha256.digest();
    md.update(source.getBytes(StandardCharsets.UTF_8));
    String start = init == null ? "null" : "sha256:" + Sha256.of(init, "starting weights");
    md.update(("\nepochs=" + epochs + "\ninit=" + start).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }
}
