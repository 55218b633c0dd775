package io.qrbench.quantizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.qrbench.nn.WeightTransform;
import io.qrbench.quant.Granularity;
import io.qrbench.quant.Ternary;
import java.util.Arrays;

/**
 * One layer's TTQ kernel, {@code q = Wp * P - Wn * N} with P, N the masks of {@code w > delta} and
 * {@code w < -delta}, {@code delta = t * max|w|}. Gradients follow the TTQ paper: to Wp the sum of
 * the kernel gradient over P, to Wn minus its sum over N (both by autograd through q), and to the
 * latent weights the kernel gradient scaled by Wp on P, Wn on N and 1 elsewhere (a scaled
 * straight-through term whose forward value is 0).
 */
final class TtqTransform implements WeightTransform {
  private final double threshold;
  private final Granularity granularity;
  private Parameter wp;
  private Parameter wn;

  TtqTransform(double threshold, Granularity granularity) {
    this.threshold = threshold;
    this.granularity = granularity;
  }

  /** Creates Wp and Wn from the kernel, the TWN-style fit of each side. */
  void prepare(String name, NDArray kernel, NDManager manager) {
    int channels = Math.toIntExact(kernel.getShape().get(0));
    float[][] s = Ternary.ttqInitialScales(kernel.toFloatArray(), channels, granularity, threshold);
    wp = scale(name + ".wp", s[0], manager);
    wn = scale(name + ".wn", s[1], manager);
  }

  private static Parameter scale(String name, float[] values, NDManager manager) {
    NDArray a = manager.create(values);
    a.setRequiresGradient(true);
    return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(a).build();
  }

  boolean prepared() {
    return wp != null;
  }

  Parameter positiveScale() {
    return wp;
  }

  Parameter negativeScale() {
    return wn;
  }

  float[] positive() {
    return wp.getArray().toFloatArray();
  }

  float[] negative() {
    return wn.getArray().toFloatArray();
  }

  @Override
  public NDArray apply(NDArray latent, boolean training) {
    if (!prepared()) {
      throw new IllegalStateException("TTQ scales are not set up: the model's hook was not prepared");
    }
    Shape shape = latent.getShape();
    float[] w = latent.toFloatArray();
    int channels = Math.toIntExact(shape.get(0));
    int groups = granularity.groups(channels);
    int per = w.length / groups;
    float[] pos = new float[w.length];
    float[] neg = new float[w.length];
    for (int g = 0; g < groups; g++) {
      float delta = Ternary.deltaTtq(w, g * per, (g + 1) * per, threshold);
      for (int i = g * per; i < (g + 1) * per; i++) {
        pos[i] = w[i] > delta ? 1f : 0f;
        neg[i] = w[i] < -delta ? 1f : 0f;
      }
    }
    NDManager m = latent.getManager();
    NDArray p = m.create(pos, shape);
    NDArray n = m.create(neg, shape);
    long[] dims = new long[shape.dimension()];
    Arrays.fill(dims, 1);
    dims[0] = groups;
    NDArray sp = wp.getArray().reshape(new Shape(dims));
    NDArray sn = wn.getArray().reshape(new Shape(dims));
    NDArray q = p.mul(sp).sub(n.mul(sn));
    if (!training) {
      return q;
    }
    NDArray scale = p.mul(sp.stopGradient()).add(n.mul(sn.stopGradient())).add(p.add(n).neg().add(1f));
    NDArray scaled = latent.mul(scale);
    return q.add(scaled.sub(scaled.stopGradient()));
  }
}
