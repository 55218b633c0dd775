package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;

/**
 * A suite model's {@code deploy:} section: the model is another suite model exported to ONNX (as
 * {@code qrbench export} does) and evaluated on ONNX Runtime, so that a report shows the deployed
 * model beside the one it came from, case by case.
 *
 * @param from the suite model to export
 * @param precision {@code int8} (QDQ, the quantizer's codes, calibrated activations) or {@code
 *     fp32}
 * @param calibration training images to calibrate int8 activation ranges on
 */
public record Deployment(
    @JsonPropertyDescription("the suite model to export and deploy") String from,
    @JsonPropertyDescription(
            "int8 (QDQ graph: the quantizer's codes, activations calibrated on training images) or fp32")
        String precision,
    @JsonPropertyDescription("training images to calibrate int8 activation ranges on")
        @Bound(min = 1, max = 1_000_000, why = "a few hundred images calibrate ranges well")
        Integer calibration) {
  public Deployment {
    precision = precision == null ? "int8" : precision;
    calibration = calibration == null ? 512 : calibration;
    if (!precision.equals("int8") && !precision.equals("fp32")) {
      throw new IllegalArgumentException("precision must be int8 or fp32, was '" + precision + "'");
    }
    if (calibration < 1) {
      throw new IllegalArgumentException(
          "calibration must be at least 1 image, was " + calibration);
    }
  }
}
