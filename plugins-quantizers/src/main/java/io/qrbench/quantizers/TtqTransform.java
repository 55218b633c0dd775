package io.qrbench.quantizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.qrbench.nn.WeightTransform;
import java.util.Arrays;

/**
 * One layer's TTQ kernel. As in the paper, the scales are trained in units of the layer's largest
 * latent weight (the paper normalises the latent weights to [-1, 1]): with {@code m = max|w|} per
 * group, taken when the transform is prepared and kept with the scales (so a packed kernel, whose
 * own maximum differs, reads back exactly), and P and N the masks of {@code w > t*max|w|} and
 * {@code w < -t*max|w|}, the kernel is {@code m * (wp * P - wn * N)}: {@code +m*wp, 0, -m*wn}.
 * Gradients follow the paper: to wp the (m-scaled) sum of the kernel gradient over P, to wn minus
 * that over N (both by autograd through the kernel), and to the latent weights the kernel gradient
 * scaled by wp on P, wn on N and 1 elsewhere (a scaled straight-through term whose forward value is
 * 0). Training the scales in raw units instead makes their relative steps about (1/m)^2 times
 * larger, which diverges on a trained ResNet at ordinary learning rates.
 */
final class TtqTransform implements WeightTransform {
  private final double threshold;
  private final Granularity granularity;
  private Parameter wp;
  private Parameter wn;
  private Parameter unit;

  TtqTransform(double threshold, Granularity granularity) {
    this.threshold = threshold;
    this.granularity = granularity;
  }

  /** Creates wp and wn from the kernel: the TWN-style fit of each side, in units of max|w|. */
  void prepare(String name, NDArray kernel, NDManager manager) {
    int channels = Math.toIntExact(kernel.getShape().get(0));
    float[] w = kernel.toFloatArray();
    float[][] s = Ternary.ttqInitialScales(w, channels, granularity, threshold);
    float[] m = Ternary.groupMaxAbs(w, channels, granularity);
    for (int g = 0; g < m.length; g++) {
      s[0][g] /= m[g];
      s[1][g] /= m[g];
    }
    wp = scale(name + ".wp", s[0], manager, true);
    wn = scale(name + ".wn", s[1], manager, true);
    unit = scale(name + ".unit", m, manager, false);
  }

  private static Parameter scale(String name, float[] values, NDManager manager, boolean trained) {
    NDArray a = manager.create(values);
    a.setRequiresGradient(trained);
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

  /** Each group's unit m, fixed when prepared: kept in files, not trained. */
  Parameter unit() {
    return unit;
  }

  /** The positive value of each group's kernel: m * wp. */
  float[] positive() {
    return times(wp);
  }

  /** The magnitude of each group's negative value: m * wn. */
  float[] negative() {
    return times(wn);
  }

  private float[] times(Parameter scale) {
    float[] s = scale.getArray().toFloatArray();
    float[] m = unit.getArray().toFloatArray();
    for (int g = 0; g < s.length; g++) {
      s[g] *= m[g];
    }
    return s;
  }

  @Override
  public NDArray apply(NDArray latent, boolean training) {
    if (!prepared()) {
      throw new IllegalStateException(
          "TTQ scales are not set up: the model's hook was not prepared");
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
    // duplicate(): an array made from Java data shares a direct buffer that is freed once the
    // array is closed (here, with the scope, before backward runs), yet backward of p * wp needs
    // p's values; the copy owns its memory. Without it, gradients to the scales read freed memory.
    NDArray p = m.create(pos, shape).duplicate();
    NDArray n = m.create(neg, shape).duplicate();
    long[] dims = new long[shape.dimension()];
    Arrays.fill(dims, 1);
    dims[0] = groups;
    NDArray sp = wp.getArray().reshape(new Shape(dims));
    NDArray sn = wn.getArray().reshape(new Shape(dims));
    NDArray q = p.mul(sp).sub(n.mul(sn)).mul(unit.getArray().reshape(new Shape(dims)));
    if (!training) {
      return q;
    }
    NDArray scale =
        p.mul(sp.stopGradient()).add(n.mul(sn.stopGradient())).add(p.add(n).neg().add(1f));
    NDArray scaled = latent.mul(scale);
    return q.add(scaled.sub(scaled.stopGradient()));
  }
}
