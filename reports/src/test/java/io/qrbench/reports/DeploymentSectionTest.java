package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.result.CaseResult;
import io.qrbench.result.ModelResult;
import io.qrbench.result.QuantizationSummary;
import io.qrbench.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment parity section pairs each deployed model with its source, case by case. */
class DeploymentSectionTest {

  private static ModelResult model(String name, String backend, String from) {
    return new ModelResult(
        name,
        from == null ? "resnet-cifar" : "onnx",
        Map.of(),
        "fp32",
        Map.of(),
        "w",
        1,
        new QuantizationSummary(List.of()),
        null,
        null,
        backend,
        from);
  }

  /** A and its deployment A-int8: clean, A right on images 0-5, A-int8 on 0-4 and 6-7. */
  private static RunResult run(boolean deployed) {
    RunResult base = Fixtures.hostile();
    List<CaseResult> cases = new ArrayList<>();
    cases.add(
        Fixtures.ok(
            "A", "none", "none", "", Fixtures.bits(8, new int[] {0, 1, 2, 3, 4, 5}), Map.of()));
    cases.add(
        Fixtures.ok(
            "A-int8",
            "none",
            "none",
            "",
            Fixtures.bits(8, new int[] {0, 1, 2, 3, 4, 6, 7}),
            Map.of()));
    List<ModelResult> models =
        List.of(
            model("A", "pytorch fp32", null),
            model("A-int8", "onnxruntime int8", deployed ? "A" : null));
    return new RunResult(
        base.schema(),
        base.suite(),
        base.environment(),
        base.status(),
        base.startedAt(),
        base.finishedAt(),
        base.wallSeconds(),
        models,
        cases,
        List.of(),
        List.of());
  }

  @Test
  void aDeployedModelIsComparedWithItsSourceImageByImage() {
    String html = HtmlReportWriter.render(run(true));
    int at = html.indexOf("id=\"deployment\"");
    assertTrue(at > 0, "the section");
    String section = html.substring(at, html.indexOf("</section>", at));
    assertTrue(section.contains("A-int8 (onnxruntime int8) vs"), section);
    // 6 of 8 right against 7 of 8: +12.50 points, 3 images differ (5 only A; 6, 7 only A-int8)
    assertTrue(section.contains("+12.50"), section);
    assertTrue(section.contains("<td class=\"num\">3</td>"), section);
    assertTrue(section.contains("0 of 1 case differs significantly"), section);
    assertTrue(html.contains("href=\"#deployment\""), "the navigation links it");
  }

  @Test
  void withoutADeploymentThereIsNoSectionAndNoLink() {
    String html = HtmlReportWriter.render(run(false));
    assertFalse(html.contains("id=\"deployment\""));
    assertFalse(html.contains("href=\"#deployment\""));
  }

  @Test
  void differencesShowTwoDecimalsAndASign() {
    assertEquals("\u22120.05", DeploymentSection.signed2(-0.05));
    assertEquals("+0.14", DeploymentSection.signed2(0.14));
    assertEquals("0.00", DeploymentSection.signed2(0.001));
  }
}
