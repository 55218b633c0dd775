package io.qrbench.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qrbench.QrbenchException;
import io.qrbench.io.AtomicFiles;
import io.qrbench.model.Batches;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ImageDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports a prepared (loaded, quantized) model to an ONNX file that ONNX Runtime, or any ONNX
 * runtime, can deploy: an FP32 graph, or a QDQ int8 graph whose kernels are the quantizer's own
 * integer codes and whose activations are quantized with ranges calibrated on training images.
 * Before writing, the network read out of the model is run in float on DJL and must give the
 * model's own logits: an export never writes a graph of another network.
 */
public final class OnnxExport {
  private OnnxExport() {}

  /** The graph's numbers. */
  public enum Precision {
    /** float32 throughout. */
    FP32,
    /** int8 kernels and uint8 activations, in QDQ form. */
    INT8;

    /** The label a speed table shows. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * How to export.
   *
   * @param precision FP32 or INT8
   * @param calibrationImages training images to calibrate activation ranges on (INT8)
   * @param batchSize images per calibration batch
   */
  public record Options(Precision precision, int calibrationImages, int batchSize) {}

  /**
   * One layer's kernel as exported.
   *
   * @param name the layer's name
   * @param exact whether the int8 codes reproduce the kernel to float precision
   * @param levels the most levels any output channel uses on each side of zero (1: ternary)
   * @param relativeError the largest |weight - scale x code| over the largest |weight|
   */
  public record Layer(String name, boolean exact, int levels, double relativeError) {}

  /**
   * What was written.
   *
   * @param file the ONNX file
   * @param bytes its size
   * @param precision its numbers
   * @param calibrationImages images the activation ranges were calibrated on (0 for FP32)
   * @param checkDifference the largest |logit| difference between the model and the network read
   *     out of it, on the check batch
   * @param layers each kernel as exported
   * @param nodes the graph's node count
   */
  public record Result(
      Path file,
      long bytes,
      Precision precision,
      int calibrationImages,
      double checkDifference,
      List<Layer> layers,
      int nodes) {}

  /** Metadata keys the file carries (ONNX Runtime reports them as custom metadata). */
  public static final String META_PRECISION = "qrbench.precision";

  public static final String META_MACS = "qrbench.macs";
  public static final String META_SOURCE = "qrbench.source";
  public static final String META_QUANTIZER = "qrbench.quantizer";
  public static final String META_CALIBRATION = "qrbench.calibration-images";

  /**
   * Exports {@code model}.
   *
   * @param quantizer the quantizer id the model was prepared with, recorded in the file
   * @param source where the weights came from, recorded in the file
   * @param calibration training images (INT8 calibration and the check batch)
   * @param out the file to write, atomically
   */
  public static Result export(
      LoadedModel model,
      String quantizer,
      String source,
      Options options,
      ImageDataset calibration,
      Path out) {
    io.qrbench.spi.ModelInput in = model.input();
    Network network =
        BlockWalker.walk(
            model.name(),
            model.block(),
            model.quantizableLayers(),
            in.channels(),
            in.height(),
            in.width());
    Interpreter interpreter = new Interpreter(network);
    int images =
        options.precision() == Precision.INT8
            ? Math.min(options.calibrationImages(), calibration.size())
            : Math.min(options.batchSize(), calibration.size());
    if (images < 1) {
      throw new QrbenchException(
          "cannot export model '" + model.name() + "': no calibration images");
    }
    double worst = 0;
    Batches batches = new Batches(calibration, options.batchSize());
    for (int from = 0; from < images; from += options.batchSize()) {
      int count = Math.min(options.batchSize(), images - from);
      try (NDManager bm = model.manager().newSubManager()) {
        NDArray x = batches.load(bm, null, from, count)[0];
        NDArray mine = interpreter.run(x);
        if (from == 0) {
          NDArray theirs = model.logits(x);
          worst = mine.sub(theirs).abs().max().getFloat();
          double scale = Math.max(1, theirs.abs().max().getFloat());
          if (!(worst <= 1e-3 * scale)) {
            throw new QrbenchException(
                "cannot export model '"
                    + model.name()
                    + "': the network read out of it computes other logits than the model"
                    + " (largest difference "
                    + worst
                    + "); it has a layer the exporter reads wrongly. Please report it with the"
                    + " model's configuration");
          }
        }
      }
    }
    OnnxModel onnx =
        OnnxEmitter.emit(
            network,
            options.precision() == Precision.INT8
                ? OnnxEmitter.Precision.INT8
                : OnnxEmitter.Precision.FP32,
            interpreter.ranges(),
            in.classes());
    onnx.metadata(META_PRECISION, options.precision().label());
    onnx.metadata(META_SOURCE, source);
    onnx.metadata(META_QUANTIZER, quantizer);
    if (options.precision() == Precision.INT8) {
      onnx.metadata(META_CALIBRATION, String.valueOf(images));
    }
    try {
      long macs = model.macsPerImage().values().stream().mapToLong(Long::longValue).sum();
      onnx.metadata(META_MACS, String.valueOf(macs));
    } catch (IllegalStateException e) {
      // an imported model's layers were not counted: the file says nothing
    }
    byte[] bytes = onnx.toBytes();
    try {
      AtomicFiles.write(out, bytes);
    } catch (IOException e) {
      throw new QrbenchException(
          "cannot write " + out + ": " + io.qrbench.io.IoErrors.describe(e, out), e);
    }
    return new Result(
        out,
        bytes.length,
        options.precision(),
        options.precision() == Precision.INT8 ? images : 0,
        worst,
        layers(network),
        onnx.opTypes().size());
  }

  private static List<Layer> layers(Network network) {
    List<Layer> out = new ArrayList<>();
    for (Network.Op op : network.ops()) {
      WeightCodes c = null;
      String name = null;
      if (op instanceof Network.Conv conv) {
        c = conv.codes();
        name = conv.layer();
      } else if (op instanceof Network.Dense d) {
        c = d.codes();
        name = d.layer();
      }
      if (c != null) {
        int levels = java.util.Arrays.stream(c.levels()).max().orElse(0);
        out.add(
            new Layer(name, c.exact(), levels, c.maxAbs() == 0 ? 0 : c.maxError() / c.maxAbs()));
      }
    }
    return out;
  }
}
