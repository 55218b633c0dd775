package io.qrbench.quantizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.qrbench.nn.LayerInfo;
import io.qrbench.nn.Layers;
import io.qrbench.nn.QuantizableLayer;
import io.qrbench.testing.FreedDirectMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gradients through the training hooks: TTQ's against its equations, and STE training. */
class QuantizationAwareTrainingTest {

  @Test
  void ttqGradientsFollowThePaperAndAgreeWithFiniteDifferences() {
    TtqQuantizer ttq = new TtqQuantizer();
    for (Granularity g : Granularity.values()) {
      TtqQuantizer.Config config = new TtqQuantizer.Config(0.3, g, List.of());
      Layers layers = Layers.withHook(ttq.trainingHook(config).orElseThrow());
      try (Model m = Model.newInstance("ttq")) {
        Block dense = layers.linear("dense", LayerInfo.Role.OUTPUT, 5, false);
        m.setBlock(dense);
        dense.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(4, 6));
        List<QuantizableLayer> q = layers.quantizable();
        layers.hook().prepare(q, m.getNDManager());
        NDManager nm = m.getNDManager();
        Random rnd = new Random(3);
        float[] xs = new float[4 * 6];
        float[] rs = new float[4 * 5];
        for (int i = 0; i < xs.length; i++) {
          xs[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < rs.length; i++) {
          rs[i] = (float) rnd.nextGaussian();
        }
        NDArray x = nm.create(xs, new Shape(4, 6));
        NDArray r = nm.create(rs, new Shape(4, 5));
        Parameter wp = layers.hook().parameters().get(0);
        Parameter wn = layers.hook().parameters().get(1);
        float[] latent = q.get(0).weight().getArray().toFloatArray();
        float[] gLatent;
        float[] gWp;
        float[] gWn;
        try (GradientCollector gc = nm.getEngine().newGradientCollector()) {
          NDArray y =
              dense.forward(new ParameterStore(nm, false), new NDList(x), true).singletonOrThrow();
          List<java.nio.ByteBuffer> garbage =
              FreedDirectMemory.overwrite(); // backward must not read freed memory
          gc.backward(y.mul(r).sum());
          java.lang.ref.Reference.reachabilityFence(garbage);
          gLatent = q.get(0).weight().getArray().getGradient().toFloatArray();
          gWp = wp.getArray().getGradient().toFloatArray();
          gWn = wn.getArray().getGradient().toFloatArray();
        }
        // dL/dK = r^T x for y = x K^T: the gradient with respect to the kernel the layer computed
        // with
        float[] dk = new float[5 * 6];
        for (int o = 0; o < 5; o++) {
          for (int i = 0; i < 6; i++) {
            for (int n = 0; n < 4; n++) {
              dk[o * 6 + i] += rs[n * 5 + o] * xs[n * 6 + i];
            }
          }
        }
        float[] p = wp.getArray().toFloatArray();
        float[] nn = wn.getArray().toFloatArray();
        int groups = g.groups(5);
        float[] expectWp = new float[groups];
        float[] expectWn = new float[groups];
        for (int o = 0; o < 5; o++) {
          int grp = groups == 1 ? 0 : o;
          float max = 0;
          for (int i = 0; i < (groups == 1 ? 30 : 6); i++) {
            max = Math.max(max, Math.abs(latent[(groups == 1 ? 0 : o * 6) + i]));
          }
          float delta = 0.3f * max;
          for (int i = 0; i < 6; i++) {
            int k = o * 6 + i;
            float scale = latent[k] > delta ? p[grp] : latent[k] < -delta ? nn[grp] : 1f;
            assertEquals(
                scale * dk[k], gLatent[k], 1e-4, "latent gradient scaled by Wp, Wn or 1 at " + k);
            if (latent[k] > delta) {
              expectWp[grp] += max * dk[k];
            } else if (latent[k] < -delta) {
              expectWn[grp] -= max * dk[k];
            }
          }
        }
        for (int grp = 0; grp < groups; grp++) {
          // the scales are in units of max|w| (the paper's normalised latent weights), hence the
          // factor
          assertEquals(
              expectWp[grp],
              gWp[grp],
              1e-4,
              "dL/dWp is the gradient summed over the positive region");
          assertEquals(
              expectWn[grp],
              gWn[grp],
              1e-4,
              "dL/dWn is minus the gradient summed over the negative region");
          assertTrue(
              p[grp] > 0 && p[grp] <= 1 && nn[grp] > 0 && nn[grp] <= 1,
              "initial scales are fractions of max|w|: " + p[grp] + ", " + nn[grp]);
          assertEquals(finiteDifference(dense, nm, x, r, wp.getArray(), grp), gWp[grp], 2e-2);
          assertEquals(finiteDifference(dense, nm, x, r, wn.getArray(), grp), gWn[grp], 2e-2);
        }
      }
    }
  }

  /** (L(s + h) - L(s - h)) / 2h for scale {@code s[index]}, evaluated without gradients. */
  private static double finiteDifference(
      Block b, NDManager m, NDArray x, NDArray r, NDArray scales, int index) {
    float h = 1e-2f;
    float[] s = scales.toFloatArray();
    double[] loss = new double[2];
    for (int side = 0; side < 2; side++) {
      float[] t = s.clone();
      t[index] += side == 0 ? h : -h;
      scales.set(t);
      loss[side] =
          b.forward(new ParameterStore(m, false), new NDList(x), false)
              .singletonOrThrow()
              .mul(r)
              .sum()
              .getFloat();
    }
    scales.set(s);
    return (loss[0] - loss[1]) / (2 * h);
  }

  @Test
  void straightThroughTrainingLowersTheLossOnAFixedBatch() {
    for (KernelQuantizer<?> q :
        List.of(new TwnQuantizer(), new BinaryQuantizer(), new TtqQuantizer())) {
      double[] losses = train(q);
      assertTrue(losses[1] < 0.5 * losses[0], q.id() + ": loss " + losses[0] + " -> " + losses[1]);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static double[] train(KernelQuantizer q) {
    Record config =
        switch (q.id()) {
          case "twn" -> new TwnQuantizer.Config(null, null, List.of());
          case "binary" -> new BinaryQuantizer.Config(null, List.of());
          default -> new TtqQuantizer.Config(null, null, List.of());
        };
    Layers layers = Layers.withHook((io.qrbench.nn.LayerHook) q.trainingHook(config).orElseThrow());
    ai.djl.engine.Engine.getInstance().setRandomSeed(11);
    try (Model m = Model.newInstance("ste")) {
      Block b = QuantizerPluginsTest.model(layers);
      m.setBlock(b);
      b.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 8, 8));
      layers.hook().prepare(layers.quantizable(), m.getNDManager());
      List<NDArray> params = new ArrayList<>();
      for (Pair<String, Parameter> p : b.getParameters()) {
        params.add(p.getValue().getArray());
      }
      List<NDArray> scales = layers.hook().trainable().stream().map(Parameter::getArray).toList();
      NDManager nm = m.getNDManager();
      NDArray x = nm.randomUniform(0, 1, new Shape(16, 3, 8, 8));
      NDArray y = nm.create(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5});
      Loss loss = Loss.softmaxCrossEntropyLoss();
      double first = 0;
      double last = 0;
      float[] latentBefore = layers.quantizable().get(1).weight().getArray().toFloatArray();
      for (int step = 0; step < 60; step++) {
        try (NDManager bm = nm.newSubManager()) {
          try (GradientCollector gc = nm.getEngine().newGradientCollector()) {
            NDArray out =
                b.forward(new ParameterStore(bm, false), new NDList(x), true).singletonOrThrow();
            NDArray l = loss.evaluate(new NDList(y), new NDList(out));
            gc.backward(l);
            double v = l.getFloat();
            first = step == 0 ? v : first;
            last = v;
          }
          for (NDArray p : params) {
            try (NDArray g = p.getGradient()) {
              p.subi(g.mul(0.05f));
              g.subi(g);
            }
          }
          for (NDArray p :
              scales) { // TTQ's scales, at a hundredth of the rate as the shipped spec trains them
            try (NDArray g = p.getGradient()) {
              p.subi(g.mul(0.0005f));
              g.subi(g);
            }
          }
        }
      }
      float[] latentAfter = layers.quantizable().get(1).weight().getArray().toFloatArray();
      assertTrue(
          !java.util.Arrays.equals(latentBefore, latentAfter),
          "latent weights learned through the estimator");
      return new double[] {first, last};
    }
  }
}
