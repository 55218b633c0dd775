package io.qrbench;

/**
 * The root of every error qrbench raises on purpose. Unchecked, so plugin code can throw it from
 * anywhere; the CLI maps it to an exit code: {@link ConfigException} (bad input) exits 2, anything
 * else exits 1.
 */
public class QrbenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QrbenchException(String message) {
    super(message);
  }

  public QrbenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
