package io.qrbench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.CheckResult;
import io.qrbench.result.Level;
import io.qrbench.result.Metrics;
import io.qrbench.result.ModelResult;
import io.qrbench.result.Outcomes;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckTest {
  private static final List<String> MODELS = List.of("FP", "TWN", "v1.2");
  private static final Map<String, List<Level>> LEVELS =
      Map.of(
          "none", List.of(Level.NONE),
          "gaussian-c", List.of(Level.of("severity", 1), Level.of("severity", 2)),
          "pgd", List.of(Level.of("epsilon", 0.0156863), Level.of("epsilon", 0.0313725)),
          "minimal", List.of(Level.NONE));

  @Test
  void arithmeticFollowsPrecedenceAndParentheses() {
    Check c = Check.parse("2 + 3 * 4 - -1 >= (2 + 3) * 4 / 2e1");
    assertEquals(15.0, c.left().value(r -> 0), 0);
    assertEquals(1.0, c.right().value(r -> 0), 0);
    assertEquals(">=", c.comparison());
    assertTrue(c.holds(15, 1));
    assertFalse(Check.parse("1 < 1").holds(1, 1));
    assertTrue(Check.parse("1 <= 1").holds(1, 1));
    assertTrue(Check.parse("1 != 2").holds(1, 2));
  }

  @Test
  void hyphensBelongToNamesUnlessADigitOrSpaceFollows() {
    Check c = Check.parse("TWN.gaussian-c[severity=2].top1 >= FP.gaussian-c[severity=2].top1-1.5");
    assertEquals(
        List.of("TWN.gaussian-c[severity=2].top1", "FP.gaussian-c[severity=2].top1"),
        c.references().stream().map(Expr.Ref::text).toList());
    assertEquals(8.5, c.right().value(r -> 10), 1e-12);
    assertEquals(1, c.references().get(0).column());
  }

  @Test
  void deepNestingIsRefusedWithItsColumnNotAStackOverflow() {
    String deep = "(".repeat(3000) + "1" + ")".repeat(3000) + " > 0";
    CheckSyntaxException e = assertThrows(CheckSyntaxException.class, () -> Check.parse(deep));
    assertTrue(e.getMessage().contains("nest deeper than 64 levels"), e.getMessage());
    assertEquals(65, e.column());
    CheckSyntaxException minus =
        assertThrows(CheckSyntaxException.class, () -> Check.parse("-".repeat(100) + "1 > 0"));
    assertTrue(minus.getMessage().contains("nest deeper than 64"), minus.getMessage());
    CheckSyntaxException longOne =
        assertThrows(CheckSyntaxException.class, () -> Check.parse("1 + ".repeat(300) + "1 > 0"));
    assertTrue(longOne.getMessage().contains("at most 1000"), longOne.getMessage());
    assertEquals(
        1.0, Check.parse("(".repeat(64) + "1" + ")".repeat(64) + " > 0").left().value(r -> 0), 0);
  }

  @Test
  void syntaxErrorsNameTheColumn() {
    CheckSyntaxException e =
        assertThrows(CheckSyntaxException.class, () -> Check.parse("FP.clean.top1 > "));
    assertEquals(17, e.column());
    assertTrue(e.getMessage().contains("expected a number"), e.getMessage());
    assertTrue(
        assertThrows(CheckSyntaxException.class, () -> Check.parse("FP.clean.top1 = 3"))
            .getMessage()
            .contains("expected a comparison"));
    assertTrue(
        assertThrows(CheckSyntaxException.class, () -> Check.parse("(1 + 2 > 3"))
            .getMessage()
            .contains("expected ')'"));
    assertTrue(
        assertThrows(CheckSyntaxException.class, () -> Check.parse("1 > 2 3"))
            .getMessage()
            .contains("unexpected '3'"));
  }

  @Test
  void validReferencesHaveNoProblems() {
    Check c = Check.parse("TWN.clean.top1 >= FP.none.top1 - 1 && 1 > 0".split(" &&")[0]);
    assertEquals(List.of(), Checks.problems(c, MODELS, LEVELS));
    assertEquals(
        List.of(),
        Checks.problems(Check.parse("v1.2.pgd[epsilon=0.03137250].top5 > 0"), MODELS, LEVELS));
    assertEquals(
        List.of(), Checks.problems(Check.parse("FP.minimal.fooled > 0.5"), MODELS, LEVELS));
    assertEquals(
        List.of(),
        Checks.problems(
            Check.parse("FP.minimal.mean-abs-255 > FP.minimal.meanL2"), MODELS, LEVELS));
  }

  @Test
  void badReferencesSayWhatIsKnown() {
    assertTrue(only("TWM.clean.top1 > 0").contains("did you mean 'TWN'"));
    assertTrue(only("FP.gausian-c[severity=1].top1 > 0").contains("did you mean 'gaussian-c'"));
    assertTrue(
        only("FP.gaussian-c.top1 > 0")
            .contains("has levels; name one in brackets, e.g. FP.gaussian-c[severity=1].top1"));
    assertTrue(
        only("FP.gaussian-c[severity=9].top1 > 0").contains("its levels: severity=1; severity=2"));
    assertTrue(only("FP.clean[x=1].top1 > 0").contains("sweeps nothing"));
    assertTrue(only("FP.clean.top-1 > 0").contains("did you mean 'top1'"));
    assertTrue(only("FP.clean > 0").contains("names no metric"));
  }

  private static String only(String check) {
    List<String> p = Checks.problems(Check.parse(check), MODELS, LEVELS);
    assertEquals(1, p.size(), () -> p.toString());
    return p.get(0);
  }

  @Test
  void evaluationUsesTheRunsNumbersAndExplainsThem() {
    RunResult run =
        run(
            ok("FP", "none", Level.NONE, 81.0, Map.of()),
            ok("TWN", "none", Level.NONE, 80.5, Map.of()),
            ok("TWN", "pgd", Level.of("epsilon", 0.0313725), 2.0, Map.of()),
            ok("FP", "minimal", Level.NONE, 0.0, Map.of("fooled", 0.97)),
            new CaseResult(
                "TWN/pgd[epsilon=0.0156863]",
                "TWN",
                "pgd",
                "pgd",
                Level.of("epsilon", 0.0156863),
                Map.of(),
                CaseStatus.FAILED,
                "out of memory",
                null));
    List<CheckResult> r =
        Checks.evaluate(
            List.of(
                Check.parse("TWN.clean.top1 >= FP.clean.top1 - 1.0"),
                Check.parse("TWN.clean.top1 >= FP.clean.top1 - 0.25"),
                Check.parse("TWN.pgd[epsilon=0.0313725].top1 < 5"),
                Check.parse("FP.minimal.fooled >= 0.95"),
                Check.parse("TWN.pgd[epsilon=0.0156863].top1 > 0"),
                Check.parse("FP.pgd[epsilon=0.0313725].top1 > 0")),
            run);
    assertTrue(r.get(0).passed());
    assertEquals(80.5, r.get(0).left(), 0);
    assertEquals(80.0, r.get(0).right(), 0);
    assertEquals("80.5 >= 80 holds (TWN.clean.top1 = 80.5, FP.clean.top1 = 81)", r.get(0).detail());
    assertFalse(r.get(1).passed());
    assertTrue(r.get(1).detail().contains("does not hold"));
    assertTrue(r.get(2).passed());
    assertTrue(r.get(3).passed());
    assertFalse(r.get(4).passed());
    assertNull(r.get(4).left());
    assertTrue(r.get(4).detail().contains("failed: out of memory"), r.get(4).detail());
    assertFalse(r.get(5).passed());
    assertTrue(r.get(5).detail().contains("no such case"), r.get(5).detail());
    assertFalse(run.withChecks(r).checksPassed());
  }

  private static CaseResult ok(
      String model, String p, Level level, double top1, Map<String, Double> extra) {
    String id = model + "/" + p + (level.isEmpty() ? "" : "[" + level.label() + "]");
    return new CaseResult(
        id,
        model,
        p,
        p,
        level,
        Map.of(),
        CaseStatus.OK,
        null,
        new Metrics(
            100,
            top1,
            99,
            (int) top1,
            99,
            0,
            0,
            0,
            0,
            1,
            100,
            Outcomes.of(new java.util.BitSet()),
            extra));
  }

  private static RunResult run(CaseResult... cases) {
    List<ModelResult> models =
        MODELS.stream()
            .map(n -> new ModelResult(n, "m", Map.of(), "fp32", Map.of(), "w", 1, null, null, null))
            .toList();
    return new RunResult(
        RunResult.SCHEMA,
        null,
        null,
        RunStatus.COMPLETE,
        "t0",
        "t1",
        1,
        models,
        List.of(cases),
        null,
        null);
  }
}
