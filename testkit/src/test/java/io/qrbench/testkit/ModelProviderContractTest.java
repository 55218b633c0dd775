package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The model contract passes a correct linear model and fails each broken variant on its fault. */
class ModelProviderContractTest {

  @Test
  void aCorrectModelPassesEveryTest() {
    assertEquals(Set.of(), ContractRun.failed(BrokenModels.Correct.class));
  }

  @Test
  void aModelUsingBatchStatisticsFails() {
    assertEquals(
        Set.of("anImagesLogitsDoNotDependOnItsBatch"),
        ContractRun.failed(BrokenModels.BatchStatistics.class));
  }

  @Test
  void aModelWithNoiseAtInferenceFails() {
    Set<String> failed = ContractRun.failed(BrokenModels.NoiseAtInference.class);
    assertTrue(failed.contains("theSameImagesGiveTheSameLogits"), failed.toString());
  }

  @Test
  void aModelWithALayerAQuantizerCannotReachFails() {
    assertEquals(
        Set.of("everyKernelComesFromTheContextsLayers"),
        ContractRun.failed(BrokenModels.OwnLayer.class));
  }

  @Test
  void aModelWithTheWrongNumberOfLogitsFails() {
    Set<String> failed = ContractRun.failed(BrokenModels.OneLogitTooMany.class);
    assertTrue(failed.contains("aBatchOfImagesGivesOneRowOfFiniteLogitsEach"), failed.toString());
  }
}
