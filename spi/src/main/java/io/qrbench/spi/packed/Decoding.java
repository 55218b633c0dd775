package io.qrbench.spi.packed;

import java.util.Arrays;

/**
 * How a packed tensor's integer codes turn back into floats: the tensor carries its own decoding,
 * so a reader needs no knowledge of the quantizer that wrote it.
 *
 * <p>The codes are split into {@code groups} equal, contiguous groups (group {@code g} covers
 * elements {@code [g*n/groups, (g+1)*n/groups)}; one group per output channel is the usual
 * per-channel layout of a row-major kernel). Code {@code c} of group {@code g} stands for
 *
 * <pre>
 *   base  = codebook is empty ? (float) (c - offset)                 an integer grid
 *         : codebook has levels entries ? codebook[c]               one shared codebook
 *         : codebook[g * levels + c]                                one codebook per group
 *   value = base                      then, if there are scales:  value = value * scales[g]
 *                                     then, if there are zeros:   value = value + zeros[g]
 * </pre>
 *
 * <p>in float arithmetic, exactly in that order, so every reader gets the same bits. Each built-in
 * scheme is one choice of fields (n groups, per layer or per channel):
 *
 * <ul>
 *   <li>symmetric uniform k-bit, {@code q * s}: levels {@code 2^k - 1}, offset {@code 2^(k-1) - 1},
 *       one scale per group;
 *   <li>TWN ternary {@code {-a, 0, +a}}: levels 3, offset 1, one scale {@code a} per group;
 *   <li>TTQ ternary {@code {-Wn, 0, +Wp}}: levels 3, one codebook {@code {-Wn, 0, Wp}} per group;
 *   <li>binary {@code {-a, +a}}: levels 2, one codebook {@code {-a, +a}} per group;
 *   <li>asymmetric uniform {@code (q - z) * s}: offset z and scales; a learned 2-bit codebook: a
 *       shared codebook of 4 values, with or without scales.
 * </ul>
 *
 * <p>Full-precision tensors use {@link #raw()}: levels 0, the payload holds the floats themselves.
 *
 * <p>A quantizer should compute the values it hands the network with {@link #decode} (or {@link
 * #value}) on its own codes: then a packed file reads back bit for bit by construction. Arrays are
 * shared, not copied, and must be treated as immutable; equality compares contents.
 *
 * @param levels number of distinct codes, 2 to 256 ({@link #raw()}: 0)
 * @param groups number of equal, contiguous groups of codes, at least 1
 * @param offset subtracted from a code to form the integer grid; 0 when there is a codebook, and at
 *     most 65535 in magnitude so that {@code c - offset} is exact in float
 * @param codebook empty, {@code levels} floats (shared) or {@code groups * levels} floats (per
 *     group, group after group)
 * @param scales empty (no scaling) or one float per group
 * @param zeros empty (nothing added) or one float per group
 */
public record Decoding(
    int levels, int groups, int offset, float[] codebook, float[] scales, float[] zeros) {

  /** Fewest levels a code may have. */
  public static final int MIN_LEVELS = 2;

  /** Most levels a code may have: codes are single unsigned bytes. */
  public static final int MAX_LEVELS = 256;

  /** Largest |offset|: keeps {@code code - offset} exact in float arithmetic. */
  public static final int MAX_OFFSET = 0xFFFF;

  private static final float[] NONE = new float[0];

  /** Checks that the fields fit together; see the class comment for the rules. */
  public Decoding {
    if (codebook == null || scales == null || zeros == null) {
      throw new IllegalArgumentException(
          "codebook, scales and zeros must not be null (use empty arrays)");
    }
    if (levels == 0) {
      if (groups != 1 || offset != 0 || codebook.length + scales.length + zeros.length != 0) {
        throw new IllegalArgumentException(
            "a raw (levels 0) decoding takes 1 group, offset 0 and no codebook, scales or zeros");
      }
    } else {
      if (levels < MIN_LEVELS || levels > MAX_LEVELS) {
        throw new IllegalArgumentException(
            "levels must be in [2, 256] (or 0 for raw floats), got " + levels);
      }
      if (groups < 1) {
        throw new IllegalArgumentException("groups must be >= 1, got " + groups);
      }
      if (Math.abs((long) offset) > MAX_OFFSET) {
        throw new IllegalArgumentException(
            "offset must be within +-" + MAX_OFFSET + ", got " + offset);
      }
      if (codebook.length != 0) {
        if (codebook.length != levels && (long) codebook.length != (long) levels * groups) {
          throw new IllegalArgumentException(
              "a codebook holds "
                  + levels
                  + " (shared) or "
                  + (long) levels * groups
                  + " (per group) values, got "
                  + codebook.length);
        }
        if (offset != 0) {
          throw new IllegalArgumentException("offset must be 0 with a codebook, got " + offset);
        }
      }
      checkPerGroup("scales", scales, groups);
      checkPerGroup("zeros", zeros, groups);
      checkFinite("codebook", codebook);
    }
  }

  /** Full-precision floats: the payload is the values themselves. */
  public static Decoding raw() {
    return new Decoding(0, 1, 0, NONE, NONE, NONE);
  }

  /**
   * The integer grid {@code (c - offset) * scales[g]}, one group per scale: symmetric uniform k-bit
   * (offset {@code 2^(k-1) - 1}), TWN (levels 3, offset 1) or asymmetric uniform (offset = zero
   * point).
   */
  public static Decoding grid(int levels, int offset, float[] scales) {
    if (scales == null) {
      throw new IllegalArgumentException("scales must not be null");
    }
    return new Decoding(levels, scales.length, offset, NONE, scales, NONE);
  }

  /**
   * One codebook of {@code levels} values shared by the whole tensor, no scales: {@code
   * codebook[c]}.
   */
  public static Decoding codebook(float... codebook) {
    if (codebook == null) {
      throw new IllegalArgumentException("codebook must not be null");
    }
    return new Decoding(codebook.length, 1, 0, codebook, NONE, NONE);
  }

  /**
   * One codebook per group, group after group: {@code codebook[g * levels + c]}; TTQ's {@code {-Wn,
   * 0, Wp}} or binary's {@code {-a, a}} per channel.
   */
  public static Decoding codebookPerGroup(int levels, float[] codebook) {
    if (codebook == null || levels < 1 || codebook.length % levels != 0) {
      throw new IllegalArgumentException(
          "a per-group codebook holds a multiple of "
              + levels
              + " values, got "
              + (codebook == null ? "null" : codebook.length));
    }
    return new Decoding(levels, codebook.length / levels, 0, codebook, NONE, NONE);
  }

  /** Whether this is {@link #raw()}: the payload holds floats, not codes. */
  public boolean isRaw() {
    return levels == 0;
  }

  /** Floats this decoding stores: codebook, scales and zeros. */
  public int floats() {
    return codebook.length + scales.length + zeros.length;
  }

  /**
   * The value code {@code c} of group {@code g} stands for (formula in the class comment).
   *
   * @throws IllegalArgumentException for a code or group out of range, or a raw decoding
   */
  public float value(int c, int g) {
    if (isRaw()) {
      throw new IllegalArgumentException("a raw decoding has no codes");
    }
    if (c < 0 || c >= levels || g < 0 || g >= groups) {
      throw new IllegalArgumentException(
          "code "
              + c
              + " of group "
              + g
              + " is outside "
              + levels
              + " levels and "
              + groups
              + " groups");
    }
    float v;
    if (codebook.length == 0) {
      v = c - offset;
    } else {
      v = codebook.length == levels ? codebook[c] : codebook[g * levels + c];
    }
    if (scales.length != 0) {
      v = v * scales[g];
    }
    if (zeros.length != 0) {
      v = v + zeros[g];
    }
    return v;
  }

  /**
   * The values of a whole tensor's codes, one unsigned byte each, in group order.
   *
   * @throws IllegalArgumentException if the number of codes is not a multiple of the groups, or a
   *     code is not below {@code levels}
   */
  public float[] decode(byte[] codes) {
    if (codes == null) {
      throw new IllegalArgumentException("codes must not be null");
    }
    if (isRaw()) {
      throw new IllegalArgumentException("a raw decoding has no codes");
    }
    int n = codes.length;
    if (n % groups != 0) {
      throw new IllegalArgumentException(
          n + " codes do not split into " + groups + " equal groups");
    }
    // one table per group: the formula once per level, then a lookup per code (same bits)
    float[] out = new float[n];
    int per = n / groups;
    float[] table = new float[levels];
    for (int g = 0; g < groups; g++) {
      for (int c = 0; c < levels; c++) {
        table[c] = value(c, g);
      }
      for (int i = g * per; i < (g + 1) * per; i++) {
        int c = codes[i] & 0xFF;
        if (c >= levels) {
          throw new IllegalArgumentException(
              "code " + i + " is " + c + ", not below " + levels + " levels");
        }
        out[i] = table[c];
      }
    }
    return out;
  }

  private static void checkPerGroup(String what, float[] a, int groups) {
    if (a.length != 0 && a.length != groups) {
      throw new IllegalArgumentException(
          what + " hold one value per group (" + groups + ") or none, got " + a.length);
    }
    checkFinite(what, a);
  }

  private static void checkFinite(String what, float[] a) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new IllegalArgumentException(what + "[" + i + "] is not finite: " + a[i]);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Decoding d
        && levels == d.levels
        && groups == d.groups
        && offset == d.offset
        && Arrays.equals(codebook, d.codebook)
        && Arrays.equals(scales, d.scales)
        && Arrays.equals(zeros, d.zeros);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(codebook);
    h = 31 * h + Arrays.hashCode(scales);
    h = 31 * h + Arrays.hashCode(zeros);
    return 31 * (31 * (31 * h + levels) + groups) + offset;
  }

  @Override
  public String toString() {
    return isRaw()
        ? "Decoding[raw]"
        : "Decoding[levels="
            + levels
            + ", groups="
            + groups
            + ", offset="
            + offset
            + ", codebook="
            + Arrays.toString(codebook)
            + ", scales="
            + scales.length
            + ", zeros="
            + zeros.length
            + "]";
  }
}
