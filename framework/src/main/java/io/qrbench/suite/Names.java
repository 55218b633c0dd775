package io.qrbench.suite;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a name may be. Names that become file or folder names (a suite's, under {@code runs/}; a
 * training spec's, its weights file; a model trained in a run, its saved weights) keep to
 * characters that mean nothing to a file system, so that no name can reach outside {@code --out};
 * every name is short enough to be a file name with room to spare.
 */
final class Names {
  static final int MAX_LENGTH = 100;
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  static final String FILE_NAME_RULE = "letters, digits, '.', '_' and '-', not starting with '.'";

  private Names() {}

  /** What is wrong with {@code name} as a display name, if anything. */
  static Optional<String> displayProblem(String name) {
    if (name.isBlank()) {
      return Optional.of("the name is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "the name is "
              + name.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed");
    }
    return Optional.empty();
  }

  /** What is wrong with {@code name} as a name that becomes a file or folder name, if anything. */
  static Optional<String> fileProblem(String name) {
    Optional<String> p = displayProblem(name);
    if (p.isPresent() || FILE_NAME.matcher(name).matches()) {
      return p;
    }
    return Optional.of("'" + name + "' may contain only " + FILE_NAME_RULE);
  }

  /** How to fix {@code name} as a file name. */
  static String fileFix(String name) {
    String safe =
        name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+", "").replaceAll("-+$", "");
    safe = safe.substring(0, Math.min(safe.length(), 40));
    return "use up to "
        + MAX_LENGTH
        + " "
        + FILE_NAME_RULE
        + ", e.g. '"
        + (safe.isEmpty() ? "my-name" : safe)
        + "'";
  }
}
