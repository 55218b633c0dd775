package io.qrbench.eval;

import java.nio.charset.StandardCharsets;

/**
 * Derives the random seed of each image: from the suite seed, the perturbation and its level, and
 * the image's index in the dataset. Models and batch sizes play no part, so every model is compared
 * on identical noisy or randomly-started images.
 */
public final class ImageSeeds {
  private ImageSeeds() {}

  /** The seed of one perturbation level within a suite. */
  public static long levelSeed(long suiteSeed, String perturbation, String level) {
    return mix(suiteSeed ^ mix(fnv1a(perturbation + '\u0000' + level)));
  }

  /** The seed of image {@code index} under a level. */
  public static long imageSeed(long levelSeed, long index) {
    return mix(levelSeed + 0x9E3779B97F4A7C15L * (index + 1));
  }

  /** A seed for anything else named by {@code what} within a suite (e.g. a model's training). */
  public static long derive(long suiteSeed, String what) {
    return mix(suiteSeed ^ mix(fnv1a(what)));
  }

  /** SplitMix64's finaliser: a bijective, well-mixing 64-bit hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
