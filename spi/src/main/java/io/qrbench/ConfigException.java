package io.qrbench;

/**
 * Bad input from the user: a malformed suite, an unknown plugin id, a missing weight file, a
 * corrupt dataset. The message names the file, the place and the fix. The CLI exits with 2.
 */
public class ConfigException extends QrbenchException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
