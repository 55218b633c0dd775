package io.qrbench.suite;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.qrbench.spi.Bound;

/**
 * Training-time augmentation, seeded per epoch and image: a random crop of the image zero-padded by
 * {@code crop-padding} pixels on each side, and a random horizontal flip.
 *
 * @param cropPadding pixels of zero padding before the random crop; 0 for none
 * @param flip flip horizontally with probability 1/2
 */
public record AugmentSpec(
    @JsonPropertyDescription("zero padding in pixels before a random crop; 0 disables")
        @Bound(min = 0, max = 64, why = "CIFAR uses 4")
        Integer cropPadding,
    @JsonPropertyDescription("random horizontal flip") Boolean flip) {
  public AugmentSpec {
    cropPadding = cropPadding == null ? 4 : cropPadding;
    flip = flip == null || flip;
    if (cropPadding < 0) {
      throw new IllegalArgumentException("crop-padding must not be negative, was " + cropPadding);
    }
  }

  /** The standard CIFAR augmentation: 4-pixel padding and crop, horizontal flip. */
  public static AugmentSpec standard() {
    return new AugmentSpec(4, true);
  }

  /** No augmentation. */
  public static AugmentSpec none() {
    return new AugmentSpec(0, false);
  }

  public boolean enabled() {
    return cropPadding > 0 || flip;
  }
}
