package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The perturbation contract passes a correct noise and fails each broken variant on the promise it
 * breaks: a contract that passed everything would test nothing.
 */
class PerturbationContractTest {
  private static Set<String> failed(Class<?> contract) {
    return ContractRun.failed(contract);
  }

  @Test
  void aCorrectNoisePassesEveryTest() {
    assertEquals(Set.of(), failed(BrokenPerturbations.Correct.class));
  }

  @Test
  void aNoiseDrawingFromAGlobalRandomFailsDeterminism() {
    Set<String> failed = failed(BrokenPerturbations.GlobalRandom.class);
    assertTrue(failed.contains("sameSeedGivesTheSameOutput"), failed.toString());
    assertTrue(failed.contains("aBatchOfEightEqualsTwoBatchesOfFour"), failed.toString());
  }

  @Test
  void aNoiseDrawingFromAGeneratorOfItsOwnFailsDeterminism() {
    Set<String> failed = failed(BrokenPerturbations.InstanceRandom.class);
    assertTrue(failed.contains("sameSeedGivesTheSameOutput"), failed.toString());
  }

  @Test
  void aNoiseWithOneGeneratorForTheBatchFailsBatchSizeInvariance() {
    assertEquals(
        Set.of("aBatchOfEightEqualsTwoBatchesOfFour"),
        failed(BrokenPerturbations.OneGeneratorPerBatch.class));
  }

  @Test
  void aNoiseScaledByTheBatchMeanFailsNeighbourIndependence() {
    Set<String> failed = failed(BrokenPerturbations.BatchStatistics.class);
    assertTrue(failed.contains("anImagesOutputDoesNotDependOnItsNeighbours"), failed.toString());
  }

  @Test
  void aNoiseWritingIntoTheCleanBatchFails() {
    assertTrue(failed(BrokenPerturbations.InPlace.class).contains("theCleanBatchIsNotModified"));
  }

  @Test
  void anUnclippedNoiseFailsTheRange() {
    assertEquals(
        Set.of("outputIsFloat32InTheUnitIntervalOfTheInputsShape"),
        failed(BrokenPerturbations.Unclipped.class));
  }

  @Test
  void aNoiseWhoseOutputOutlivesTheBatchFails() {
    assertEquals(
        Set.of("theOutputIsFreedWithTheBatch"), failed(BrokenPerturbations.OutsideTheBatch.class));
  }
}
