package io.qrbench;

/** A plugin is wrongly declared or cannot be found: a duplicate id, a bad id, an unknown id. */
public class PluginException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public PluginException(String message) {
    super(message);
  }

  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
