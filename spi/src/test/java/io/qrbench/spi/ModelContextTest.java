package io.qrbench.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qrbench.nn.Layers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelContextTest {
  private static final ModelInput IN = new ModelInput(3, 32, 32, 10);

  @Test
  void spi10sConstructorGivesEveryProcessor() {
    ModelContext c = new ModelContext(IN, Layers.plain(), null, Optional.empty());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.threads());
    assertEquals(5, new ModelContext(IN, Layers.plain(), null, Optional.empty(), 5).threads());
  }

  @Test
  void threadsMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ModelContext(IN, Layers.plain(), null, Optional.empty(), 0));
    assertEquals("threads must be at least 1, was 0", e.getMessage());
  }
}
