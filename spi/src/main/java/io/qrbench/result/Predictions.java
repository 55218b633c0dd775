package io.qrbench.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Base64;

/**
 * Each image's true class and the class the model predicted (its top-1), for per-class accuracy and
 * confusion matrices in the report.
 *
 * <p>In results.json it is one base64 string of two bytes per image, image i's label in byte 2i and
 * its prediction in byte 2i + 1, each read unsigned: 10,000 images take 27 KB, and only datasets of
 * at most {@value #MAX_CLASSES} classes have it (the field is null otherwise, and in results
 * written before it was recorded; readers of either kind skip what they do not know).
 */
public final class Predictions {
  /** The most classes one byte per image can hold. */
  public static final int MAX_CLASSES = 256;

  private final byte[] pairs;

  private Predictions(byte[] pairs) {
    this.pairs = pairs;
  }

  /**
   * The predictions of {@code predicted[i]} for images of class {@code labels[i]}.
   *
   * @throws IllegalArgumentException when the arrays differ in length or a class is outside [0,
   *     256)
   */
  public static Predictions of(int[] labels, int[] predicted) {
    if (labels.length != predicted.length) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + predicted.length + " predictions");
    }
    byte[] pairs = new byte[2 * labels.length];
    for (int i = 0; i < labels.length; i++) {
      pairs[2 * i] = toByte(labels[i]);
      pairs[2 * i + 1] = toByte(predicted[i]);
    }
    return new Predictions(pairs);
  }

  private static byte toByte(int c) {
    if (c < 0 || c >= MAX_CLASSES) {
      throw new IllegalArgumentException("class " + c + " is outside [0, " + MAX_CLASSES + ")");
    }
    return (byte) c;
  }

  /**
   * Reads the results.json form.
   *
   * @throws IllegalArgumentException when it is not base64 of an even number of bytes
   */
  @JsonCreator
  public static Predictions fromBase64(String base64) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("predictions are not valid base64: " + e.getMessage(), e);
    }
    if (b.length % 2 != 0) {
      throw new IllegalArgumentException(
          "predictions hold " + b.length + " bytes, not a label and a prediction per image");
    }
    return new Predictions(b);
  }

  /** The results.json form. */
  @JsonValue
  public String base64() {
    return Base64.getEncoder().encodeToString(pairs);
  }

  /** Images recorded. */
  public int size() {
    return pairs.length / 2;
  }

  /** Image {@code i}'s true class. */
  public int label(int i) {
    return Byte.toUnsignedInt(pairs[2 * i]);
  }

  /** The class the model predicted for image {@code i}. */
  public int predicted(int i) {
    return Byte.toUnsignedInt(pairs[2 * i + 1]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Predictions other && java.util.Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(pairs);
  }

  @Override
  public String toString() {
    return base64();
  }
}
