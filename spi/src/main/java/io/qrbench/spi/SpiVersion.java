package io.qrbench.spi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of this SPI, {@code MAJOR.MINOR}, and the rule the plugin registry applies to it.
 *
 * <p>A plugin jar declares the SPI version it was compiled against in its manifest, as the
 * attribute {@value #MANIFEST_ATTRIBUTE} (one line in the plugin's {@code pom.xml}; see the
 * README's "Writing a plugin"). The registry accepts a plugin whose major version equals this one's
 * and whose minor version is at most this one's: minor versions only add (a new default method, a
 * new record component with a default), major versions may remove or change. A plugin built for
 * another major version, or for a newer minor one, is refused before any of its code runs, with a
 * message naming the plugin, its jar and both versions.
 *
 * <p>Classes loaded from a directory (a plugin's own build or tests, an IDE) carry no manifest and
 * are accepted as they are: they were compiled against whatever SPI is on the class path.
 */
public final class SpiVersion {
  /** Incremented when a change can break a compiled plugin. */
  public static final int MAJOR = 1;

  /** Incremented when the SPI gains something a plugin may use; reset when {@link #MAJOR} moves. */
  public static final int MINOR = 3;

  /** This SPI's version, {@code MAJOR.MINOR}. */
  public static final String CURRENT = MAJOR + "." + MINOR;

  /** The jar manifest attribute in which a plugin declares the SPI version it was built for. */
  public static final String MANIFEST_ATTRIBUTE = "Qrbench-Spi-Version";

  private static final Pattern FORM = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

  private SpiVersion() {}

  /**
   * Why a plugin built for {@code declared} cannot run on this SPI, or {@code null} when it can.
   *
   * @param declared the value of the plugin jar's {@value #MANIFEST_ATTRIBUTE} attribute, or {@code
   *     null} when the jar has none
   */
  public static String incompatibility(String declared) {
    return incompatibility(declared, MAJOR, MINOR);
  }

  /** {@link #incompatibility(String)} against an SPI of version {@code major.minor}. */
  static String incompatibility(String declared, int runtimeMajor, int runtimeMinor) {
    String current = runtimeMajor + "." + runtimeMinor;
    if (declared == null) {
      return "its jar's manifest declares no "
          + MANIFEST_ATTRIBUTE
          + " (qrbench's SPI is "
          + current
          + "); rebuild it with the manifest entry '"
          + MANIFEST_ATTRIBUTE
          + ": "
          + current
          + "' (README, \"Writing a plugin\")";
    }
    Matcher m = FORM.matcher(declared.trim());
    if (!m.matches()) {
      return "its jar's manifest declares "
          + MANIFEST_ATTRIBUTE
          + " '"
          + declared
          + "', which is not MAJOR.MINOR (qrbench's SPI is "
          + current
          + ")";
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major != runtimeMajor) {
      return "it was built for SPI "
          + major
          + "."
          + minor
          + " but this qrbench has SPI "
          + current
          + (major < runtimeMajor
              ? "; rebuild the plugin against qrbench-spi " + current
              : "; use a qrbench release with SPI " + major + ".x");
    }
    if (minor > runtimeMinor) {
      return "it was built for SPI "
          + major
          + "."
          + minor
          + ", newer than this qrbench's SPI "
          + current
          + "; upgrade qrbench or rebuild the plugin against qrbench-spi "
          + current;
    }
    return null;
  }
}
