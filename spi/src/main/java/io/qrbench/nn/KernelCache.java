package io.qrbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * The evaluation kernel of one transformed layer, computed once while the model's weights are
 * frozen. Without it a quantized model would re-quantize every kernel on every forward pass, and
 * its measured speed would be that of the quantizer, not of the model. Off until the runner says
 * the weights are final; any change of state clears it.
 */
final class KernelCache {
  private boolean enabled;
  private NDArray kernel;

  /** Turns caching on (weights final) or off (training, quantizing, loading); either clears it. */
  synchronized void enable(boolean on) {
    clear();
    enabled = on;
  }

  /**
   * The kernel to compute with in an evaluation pass: the cached one, or {@code compute}'s result
   * kept on the parameter's own manager (it outlives the batch) when caching is on.
   */
  synchronized NDArray get(NDArray input, NDArray latent, Supplier<NDArray> compute) {
    if (!enabled) {
      return Scoped.onInputManager(input, latent, compute);
    }
    if (kernel == null) {
      try (NDScope scope = new NDScope()) {
        kernel = compute.get();
        NDScope.unregister(kernel);
      }
    }
    return kernel;
  }

  private void clear() {
    if (kernel != null && !kernel.isReleased()) {
      kernel.close();
    }
    kernel = null;
  }
}
