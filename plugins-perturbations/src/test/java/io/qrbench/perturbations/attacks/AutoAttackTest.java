package io.qrbench.perturbations.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qrbench.model.LoadedModel;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.PerturbationContext;
import io.qrbench.testing.SimpleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoAttackTest {
  private static final int N = 16;

  private static boolean[] fooled(SimpleContext ctx) {
    float[] f = ctx.recorded().get("fooled");
    boolean[] out = new boolean[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i] == 1f;
    }
    return out;
  }

  private static boolean[] wrong(ModelUnderTest m, NDArray x, NDArray labels) {
    return LogitLosses.wrong(
        m.logits(x).toFloatArray(), labels.toType(DataType.INT32, false).toIntArray(), m.classes());
  }

  @Test
  void autoAttackBreaksEveryImageThatAnyOfItsComponentsBreaks() {
    try (LoadedModel m = ApgdTest.confident(1);
        NDManager bm = m.manager().newSubManager()) {
      double eps = 0.04;
      SimpleContext ce = ApgdTest.context(m, bm, 0, N);
      new Apgd().apply(new Apgd.Config("linf", eps, "ce", null, 100, 1, null, null), ce);
      SimpleContext t = ApgdTest.context(m, bm, 0, N);
      new Apgd().apply(new Apgd.Config("linf", eps, "dlr-targeted", 9, 100, 1, null, null), t);
      SimpleContext aa = ApgdTest.context(m, bm, 0, N);
      NDArray adv =
          new AutoAttack()
              .apply(new AutoAttack.Config(List.of("apgd-ce", "apgd-t"), "linf", eps, null), aa);
      boolean[] byAa = fooled(aa);
      assertArrayEquals(
          byAa, wrong(m, adv, aa.labels()), "fooled is what the model says of the returned images");
      int broken = 0;
      for (int i = 0; i < N; i++) {
        assertTrue(
            byAa[i] || !fooled(ce)[i], "APGD-CE alone broke image " + i + ", AutoAttack did not");
        assertTrue(
            byAa[i] || !fooled(t)[i], "APGD-T alone broke image " + i + ", AutoAttack did not");
        float by =
            aa.recorded().get("broken-by-clean")[i]
                + aa.recorded().get("broken-by-apgd-ce")[i]
                + aa.recorded().get("broken-by-apgd-t")[i];
        assertEquals(
            byAa[i] ? 1f : 0f, by, "image " + i + " is broken by exactly one attack, or none");
        broken += byAa[i] ? 1 : 0;
      }
      assertTrue(
          broken > 0 && broken < N,
          "a test where some images survive: " + broken + " of " + N + " broken");
      float[] d = adv.sub(aa.images()).abs().reshape(N, -1).max(new int[] {1}).toFloatArray();
      for (int i = 0; i < N; i++) {
        assertTrue(d[i] <= eps + 1e-6, "image " + i + " left the ball: " + d[i]);
      }
    }
  }

  /** A component that notes the seeds it was given and breaks the images of even seed. */
  private static final class Fake implements AutoAttack.Component {
    final List<Long> seen = new ArrayList<>();
    final boolean breaks;

    Fake(boolean breaks) {
      this.breaks = breaks;
    }

    @Override
    public NDArray attack(PerturbationContext c, String norm, double epsilon) {
      float[] x = c.images().toFloatArray();
      int per = x.length / c.batchSize();
      float[] out = x.clone();
      for (int i = 0; i < c.batchSize(); i++) {
        seen.add(c.seed(i));
        if (breaks && c.seed(i) % 2 == 0) {
          // channel k takes channel k-1's pixels: the bright channel, the class, moves up by one
          int plane = per / 3;
          for (int k = 0; k < 3; k++) {
            System.arraycopy(x, i * per + ((k + 2) % 3) * plane, out, i * per + k * plane, plane);
          }
        }
      }
      return c.manager().create(out, c.images().getShape());
    }
  }

  @Test
  void eachComponentRunsOnlyOnTheImagesTheEarlierOnesLeft() {
    try (LoadedModel m = ApgdTest.confident(1);
        NDManager bm = m.manager().newSubManager()) {
      SimpleContext base = ApgdTest.context(m, bm, 0, N);
      int[] y = base.labels().toType(DataType.INT32, false).toIntArray();
      y[3] = (y[3] + 1) % 3; // image 3 is now misclassified clean
      SimpleContext ctx = new SimpleContext(base.images(), bm.create(y), 0, 29, m, bm);
      boolean[] clean = wrong(m, ctx.images(), ctx.labels());
      assertTrue(clean[3]);
      Fake first = new Fake(true);
      Fake second = new Fake(false);
      NDArray out =
          new AutoAttack(Map.of("apgd-ce", first, "apgd-t", second))
              .apply(new AutoAttack.Config(List.of("apgd-ce", "apgd-t"), null, null, null), ctx);
      List<Long> expectFirst = new ArrayList<>();
      List<Long> expectSecond = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        if (!clean[i]) {
          expectFirst.add(ctx.seed(i));
          if (ctx.seed(i) % 2 != 0) {
            expectSecond.add(ctx.seed(i));
          }
        }
      }
      assertEquals(
          expectFirst, first.seen, "the first component gets the images classified right clean");
      assertEquals(expectSecond, second.seen, "the second gets what the first left");
      float[] x = ctx.images().toFloatArray();
      float[] o = out.toFloatArray();
      int per = x.length / N;
      for (int i = 0; i < N; i++) {
        boolean byFirst = !clean[i] && ctx.seed(i) % 2 == 0;
        assertEquals(clean[i] ? 1f : 0f, ctx.recorded().get("broken-by-clean")[i], "image " + i);
        assertEquals(byFirst ? 1f : 0f, ctx.recorded().get("broken-by-apgd-ce")[i], "image " + i);
        assertEquals(0f, ctx.recorded().get("broken-by-apgd-t")[i], "image " + i);
        assertEquals(clean[i] || byFirst ? 1f : 0f, ctx.recorded().get("fooled")[i], "image " + i);
        // a broken image comes back as the component made it; the others as they were
        assertEquals(
            byFirst,
            x[i * per + 70] != o[i * per + 70] || x[i * per + 140] != o[i * per + 140],
            "image " + i + " changed");
      }
    }
  }

  @Test
  void theConfigurationSaysWhatIsWrong() {
    AutoAttack.Config d = new AutoAttack.Config(null, null, null, null);
    assertEquals(
        List.of("apgd-ce", "apgd-t", "square"), d.components(), "the standard version, in order");
    assertEquals(8 / 255.0, d.epsilon());
    assertEquals(0.5, new AutoAttack.Config(null, "l2", null, null).epsilon());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AutoAttack.Config(List.of("apgd-ce", "fab"), null, null, null));
    assertTrue(
        e.getMessage().contains("unknown component 'fab'") && e.getMessage().contains("apgd-t"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new AutoAttack.Config(List.of("apgd-ce", "apgd-ce"), null, null, null));
    assertThrows(
        IllegalArgumentException.class, () -> new AutoAttack.Config(List.of(), null, null, null));
    assertThrows(
        IllegalArgumentException.class, () -> new AutoAttack.Config(null, null, null, "rand"));
  }
}
