package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The quantizer contract passes a correct sign quantizer and fails each broken variant on its
 * fault.
 */
class QuantizerContractTest {

  @Test
  void aCorrectQuantizerPassesEveryTest() {
    assertEquals(Set.of(), ContractRun.failed(BrokenQuantizers.Correct.class));
  }

  @Test
  void aQuantizerThatChangesASkippedLayerFails() {
    // it changes the layer again on each pass, so it is not idempotent either
    assertEquals(
        Set.of("skippedLayersAndNonKernelsAreUntouched", "quantizingTwiceChangesNothingMore"),
        ContractRun.failed(BrokenQuantizers.TouchesASkippedLayer.class));
  }

  @Test
  void aQuantizerWhosePackedFormDecodesToOtherWeightsFails() {
    assertEquals(
        Set.of("packThenDecodeEqualsQuantize"),
        ContractRun.failed(BrokenQuantizers.PacksAnotherScale.class));
  }

  @Test
  void aQuantizerThatChangesWeightsAgainOnASecondPassFails() {
    assertEquals(
        Set.of("quantizingTwiceChangesNothingMore"),
        ContractRun.failed(BrokenQuantizers.ShrinksEachPass.class));
  }

  @Test
  void aTrainingHookThatEvaluatesOtherKernelsFails() {
    assertEquals(
        Set.of("aHookedLayerIsQuantizedToWhatItsTransformEvaluates"),
        ContractRun.failed(BrokenQuantizers.HookQuantizesAnotherWay.class));
  }

  @Test
  void aTrainingHookOnALayerQuantizeSkipsFails() {
    assertEquals(
        Set.of("aHookedLayerIsQuantizedToWhatItsTransformEvaluates"),
        ContractRun.failed(BrokenQuantizers.HookOnASkippedLayer.class));
  }

  @Test
  void aSummaryThatMisnamesALayerFails() {
    assertEquals(
        Set.of("theSummaryDescribesEveryLayerInOrder"),
        ContractRun.failed(BrokenQuantizers.MisnamesALayer.class));
  }
}
