package io.qrbench.suite;

/**
 * One thing wrong with a suite, with where it is and how to fix it.
 *
 * @param file the suite file as the user named it
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path the place in the document, e.g. {@code perturbations[2].epsilon}, empty for the root
 * @param problem what is wrong and what was expected
 * @param fix how to fix it, or empty
 */
public record SuiteProblem(
    String file, int line, int column, String path, String problem, String fix) {

  /** {@code file:line:col: path: problem}, then the fix on its own line. */
  public String format() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ");
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(problem);
    if (!fix.isEmpty()) {
      sb.append("\n    fix: ").append(fix);
    }
    return sb.toString();
  }
}
