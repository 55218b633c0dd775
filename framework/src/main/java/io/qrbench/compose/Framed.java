package io.qrbench.compose;

import java.util.Map;

/**
 * A perturbation the framework makes around plugins ({@code space:}, {@code chain}): what it adds
 * to a plugin's own configuration, for the suite's definition (so that a resumed run refuses a
 * changed space or step).
 */
public interface Framed {
  /** The framework's settings, as plain values. */
  Map<String, Object> definition();
}
