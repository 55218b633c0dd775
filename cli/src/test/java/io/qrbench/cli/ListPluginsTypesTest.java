package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code list-plugins} names types as a suite writes them, never a Java class (issue 22.5). */
class ListPluginsTypesTest {
  @Test
  void everyKeyHasASuiteType() {
    CliRunner r = CliRunner.run("list-plugins");
    assertEquals(Main.OK, r.exitCode(), r::toString);
    for (String s :
        List.of(
            "number in (0, 10] | optimal = 0.7",
            "layer | channel = layer",
            "list of numbers in [0, 1] = [0.4914, 0.4822, 0.4465]",
            "list of strings = [input, output]",
            "integer in [1, 5] = none")) {
      assertTrue(r.out().contains(s), () -> s + " missing from\n" + r);
    }
    // the framework's own: chain and the keys any perturbation takes
    for (String s :
        List.of(
            "  chain ",
            "stages:",
            "space:           pixel | normalised | pixel255 = pixel",
            "clip:",
            "source:")) {
      assertTrue(r.out().contains(s), () -> s + " missing from\n" + r);
    }
    for (String java : List.of("Object", "LAYER", "= null", "Double", "Integer")) {
      assertFalse(r.out().contains(java), () -> java + " in\n" + r);
    }
  }
}
