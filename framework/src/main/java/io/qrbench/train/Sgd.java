package io.qrbench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.qrbench.suite.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum and weight decay, PyTorch's update rule, whose momentum buffers can be saved
 * and restored, so a resumed training continues bit for bit (DJL's optimizers keep their state
 * private). Updates happen in place; temporaries live in a scope closed every step.
 */
final class Sgd implements AutoCloseable {
  private final OptimizerSpec spec;
  private final List<Parameter> params;
  private final int weights;
  private final NDManager manager;
  private final List<NDArray> momentum = new ArrayList<>();

  /**
   * @param params the model's trainable parameters, in a fixed order (checkpoints rely on it)
   * @param quantizerState the quantizer's trainable state, updated at the spec's
   *     quantizer-lr-factor times the rate, after {@code params}
   * @param parent the manager the momentum buffers live under
   */
  Sgd(
      OptimizerSpec spec,
      List<Parameter> params,
      List<Parameter> quantizerState,
      NDManager parent) {
    this.spec = spec;
    List<Parameter> all = new ArrayList<>(params);
    all.addAll(quantizerState);
    this.params = List.copyOf(all);
    this.weights = params.size();
    this.manager = parent.newSubManager();
    for (Parameter p : this.params) {
      NDArray v = manager.zeros(p.getArray().getShape(), p.getArray().getDataType());
      momentum.add(v);
    }
  }

  /** Applies one update with learning rate {@code lr}, then zeroes the gradients. */
  void step(double lr) {
    float mu = spec.momentum().floatValue();
    float wd = spec.weightDecay().floatValue();
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).getArray();
      double rate = i < weights ? lr : lr * spec.quantizerLrFactor();
      try (NDScope scope = new NDScope();
          NDArray grad = w.getGradient()) {
        NDArray g = wd == 0 ? grad.duplicate() : grad.add(w.mul(wd));
        NDArray v = momentum.get(i);
        if (mu != 0) {
          v.muli(mu).addi(g);
          g = spec.nesterov() ? g.add(v.mul(mu)) : v;
        }
        w.subi(g.mul((float) rate));
        grad.subi(grad);
      }
    }
  }

  /** The momentum buffers, for a checkpoint. */
  NDList state() {
    return new NDList(momentum);
  }

  /** Restores momentum buffers saved by {@link #state()}. */
  void restore(NDList saved) {
    if (saved.size() != momentum.size()) {
      throw new IllegalArgumentException(
          "checkpoint holds "
              + saved.size()
              + " momentum buffers, the model has "
              + momentum.size()
              + " trainable parameters");
    }
    for (int i = 0; i < momentum.size(); i++) {
      NDArray s = saved.get(i);
      if (!s.getShape().equals(momentum.get(i).getShape())) {
        throw new IllegalArgumentException(
            "momentum buffer "
                + i
                + " has shape "
                + s.getShape()
                + ", the parameter has "
                + momentum.get(i).getShape());
      }
      momentum.get(i).set(s.toByteBuffer());
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
