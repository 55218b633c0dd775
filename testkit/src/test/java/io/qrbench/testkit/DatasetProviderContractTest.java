package io.qrbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dataset contract passes a correct generated dataset and fails each broken variant on its
 * fault.
 */
class DatasetProviderContractTest {

  @Test
  void aCorrectDatasetPassesEveryTest() {
    assertEquals(Set.of(), ContractRun.failed(BrokenDatasets.Correct.class));
  }

  @Test
  void aDatasetWithOtherImagesEachTimeItIsOpenedFails() {
    assertEquals(
        Set.of("openingASplitAgainGivesTheSameImages"),
        ContractRun.failed(BrokenDatasets.OtherImagesEachOpen.class));
  }

  @Test
  void aLabelOutsideTheClassesFails() {
    assertEquals(
        Set.of("labelsIndexTheClassNames"),
        ContractRun.failed(BrokenDatasets.LabelOutOfRange.class));
  }

  @Test
  void aReadThatWritesPastTheImageFails() {
    // reads into an array of one image's size throw in the other tests
    Set<String> failed = ContractRun.failed(BrokenDatasets.WritesPastTheImage.class);
    assertTrue(failed.contains("imagesHaveOneShapeAndValuesInTheUnitInterval"), failed.toString());
  }

  @Test
  void aSplitOfAnotherSizeFails() {
    assertEquals(
        Set.of("eachSplitHasItsDeclaredSize"),
        ContractRun.failed(BrokenDatasets.OneImageShort.class));
  }

  @Test
  void aDeclaredShapeOtherThanTheDataFails() {
    assertEquals(
        Set.of("imagesHaveOneShapeAndValuesInTheUnitInterval"),
        ContractRun.failed(BrokenDatasets.DeclaresAnotherShape.class));
  }
}
