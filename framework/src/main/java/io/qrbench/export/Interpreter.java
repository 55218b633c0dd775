package io.qrbench.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a {@link Network} in float32 on DJL arrays, the way the exported FP32 graph computes: to
 * check the network against the model it was read from, and to calibrate activation ranges for the
 * int8 graph (the smallest and largest value every tensor takes).
 */
final class Interpreter {
  private final Network network;
  private final Map<String, float[]> ranges = new HashMap<>();

  Interpreter(Network network) {
    this.network = network;
  }

  /**
   * The logits of a batch; every tensor's range grows to include what it took.
   *
   * @param images (N, C, H, W) in [0,1]
   */
  NDArray run(NDArray images) {
    NDManager m = images.getManager();
    Map<String, NDArray> t = new HashMap<>();
    t.put(network.input(), images);
    for (Network.Op op : network.ops()) {
      NDArray y = apply(op, t, m);
      t.put(op.output(), y);
      record(op.output(), y);
    }
    return t.get(network.output());
  }

  /** The smallest and largest value of each tensor over every batch run so far. */
  Map<String, float[]> ranges() {
    return ranges;
  }

  private void record(String name, NDArray y) {
    float lo = y.min().getFloat();
    float hi = y.max().getFloat();
    ranges.merge(
        name,
        new float[] {lo, hi},
        (a, b) -> new float[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
  }

  private static NDArray apply(Network.Op op, Map<String, NDArray> t, NDManager m) {
    if (op instanceof Network.Norm n) {
      Shape c = new Shape(1, n.mean().length, 1, 1);
      return t.get(n.in()).sub(m.create(n.mean(), c)).div(m.create(n.std(), c));
    }
    if (op instanceof Network.Conv c) {
      NDArray w =
          m.create(
              c.kernel(),
              new Shape(c.outChannels(), c.inChannels(), c.kernelSize(), c.kernelSize()));
      return ai.djl.nn.convolutional.Conv2d.conv2d(
              t.get(c.in()),
              w,
              m.create(c.bias()),
              new Shape(c.stride(), c.stride()),
              new Shape(c.padding(), c.padding()),
              new Shape(1, 1),
              1)
          .singletonOrThrow();
    }
    if (op instanceof Network.Relu r) {
      return t.get(r.in()).maximum(0f);
    }
    if (op instanceof Network.Add a) {
      return t.get(a.a()).add(t.get(a.b()));
    }
    if (op instanceof Network.Shortcut s) {
      NDArray sub = t.get(s.in()).get(":, :, ::2, ::2");
      int before = s.before();
      int after = s.channels() - s.inChannels() - before;
      return sub.pad(new Shape(0, 0, 0, 0, before, after), 0);
    }
    if (op instanceof Network.GlobalAveragePool g) {
      NDArray x = t.get(g.in()); // PyTorch's engine takes the mean over one axis at a time
      return x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
    }
    if (op instanceof Network.Dense d) {
      NDArray w = m.create(d.weight(), new Shape(d.units(), d.features()));
      return t.get(d.in()).matMul(w.transpose()).add(m.create(d.bias()));
    }
    throw new IllegalStateException("unknown op " + op);
  }
}
