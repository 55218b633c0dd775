package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs work on parameters without leaking: ops on a parameter belong to the model's manager, so
 * every intermediate is closed at once and the result is moved to the batch's manager, freed with
 * the batch. (Autograd keeps what backward needs on the native side.)
 */
final class Scoped {
  private Scoped() {}

  static NDArray onInputManager(NDArray input, NDArray latent, Supplier<NDArray> work) {
    NDArray result;
    try (NDScope scope = new NDScope()) {
      result = work.get();
      NDScope.unregister(result);
    }
    if (result != latent) { // an identity transform returns the parameter itself: leave it be
      result.attach(input.getManager());
    }
    return result;
  }
}
