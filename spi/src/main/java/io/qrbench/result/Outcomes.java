package io.qrbench.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Base64;
import java.util.BitSet;

/**
 * Per-image top-1 outcomes of one case: image i was classified right when bit i is set. The
 * report's paired tests (McNemar) compare two models on these, image by image.
 *
 * <p>In results.json it is one base64 string of the bit set's bytes, image i in bit (i % 8) of byte
 * i / 8, trailing zero bytes dropped ({@link BitSet#toByteArray()}): 10,000 images take 1.7 KB
 * instead of a 10,000-element list, and the format is the same in schema /1 and /2.
 */
public final class Outcomes {
  private final BitSet correct;

  private Outcomes(BitSet correct) {
    this.correct = (BitSet) correct.clone();
  }

  /** The outcomes whose set bits are the images classified right. */
  public static Outcomes of(BitSet correct) {
    return new Outcomes(correct);
  }

  /**
   * Reads the results.json form.
   *
   * @throws IllegalArgumentException when it is not base64
   */
  @JsonCreator
  public static Outcomes fromBase64(String base64) {
    try {
      return new Outcomes(BitSet.valueOf(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("outcomes are not valid base64: " + e.getMessage(), e);
    }
  }

  /** The results.json form. */
  @JsonValue
  public String base64() {
    return Base64.getEncoder().encodeToString(correct.toByteArray());
  }

  /** A copy of the bits: bit i set when image i was right. */
  public BitSet correct() {
    return (BitSet) correct.clone();
  }

  /** Whether image {@code image} was classified right. */
  public boolean correct(int image) {
    return correct.get(image);
  }

  /** Images classified right. */
  public int count() {
    return correct.cardinality();
  }

  /** One more than the last image classified right, 0 when none was. */
  public int span() {
    return correct.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcomes other && correct.equals(other.correct);
  }

  @Override
  public int hashCode() {
    return correct.hashCode();
  }

  @Override
  public String toString() {
    return base64();
  }
}
