package io.qrbench.registry;

import io.qrbench.PluginException;
import io.qrbench.spi.PluginKind;
import java.util.List;
import java.util.Optional;

/** A suite or command named a plugin id that no plugin of that kind has. */
public final class UnknownPluginException extends PluginException {
  private static final long serialVersionUID = 1L;

  private final PluginKind kind;
  private final String id;
  private final transient List<String> known;

  UnknownPluginException(PluginKind kind, String id, List<String> known) {
    super(message(kind, id, known));
    this.kind = kind;
    this.id = id;
    this.known = List.copyOf(known);
  }

  private static String message(PluginKind kind, String id, List<String> known) {
    Optional<String> near = Suggestions.closest(id, known);
    return "unknown "
        + kind.label()
        + " '"
        + id
        + "'"
        + near.map(n -> "; did you mean '" + n + "'?").orElse("")
        + " (known "
        + kind.label()
        + "s: "
        + String.join(", ", known)
        + ")";
  }

  public PluginKind kind() {
    return kind;
  }

  public String id() {
    return id;
  }

  public List<String> known() {
    return known;
  }

  /** The closest known id, if one is plausible. */
  public Optional<String> suggestion() {
    return Suggestions.closest(id, known);
  }
}
