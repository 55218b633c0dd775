package io.qrbench.spi;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The compatibility rule against SPI versions other than today's 1.1. */
class SpiVersionTest {
  @Test
  void anOlderMinorOfTheSameMajorRunsANewerOneDoesNot() {
    assertNull(SpiVersion.incompatibility("2.0", 2, 3), "built for 2.0, run on 2.3");
    assertNull(SpiVersion.incompatibility("2.3", 2, 3), "the same version");
    String newer = SpiVersion.incompatibility("2.4", 2, 3);
    assertTrue(newer != null && newer.contains("newer than this qrbench's SPI 2.3"), newer);
  }

  @Test
  void anotherMajorIsRefusedEitherWay() {
    String older = SpiVersion.incompatibility("1.9", 2, 3);
    assertTrue(older != null && older.contains("SPI 1.9") && older.contains("rebuild"), older);
    String later = SpiVersion.incompatibility("3.0", 2, 3);
    assertTrue(later != null && later.contains("use a qrbench release with SPI 3.x"), later);
  }

  /**
   * 1.1 added ModelContext.threads, DeployedBlock and two default methods; 1.2 the default
   * Perturbation.passesPerImage; 1.3 ModelUnderTest.standardisation and PerturbationContext's clip
   * range: 1.0, 1.1 and 1.2 plugins still run.
   */
  @Test
  void pluginsBuiltForSpi10RunOnToday() {
    assertTrue(SpiVersion.CURRENT.equals("1.3"), SpiVersion.CURRENT);
    assertNull(SpiVersion.incompatibility("1.0"), "built for 1.0");
    assertNull(SpiVersion.incompatibility("1.1"), "built for 1.1");
    assertNull(SpiVersion.incompatibility("1.2"), "built for 1.2");
  }
}
