package io.qrbench.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qrbench.export.OnnxModel;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxOpsTest {

  @Test
  void readsTheOperatorsTheWriterWrote() {
    for (boolean qdq : new boolean[] {false, true}) {
      OnnxModel m = TinyOnnx.classifier(qdq).metadata("qrbench.macs", "30720");
      assertEquals(
          List.copyOf(new LinkedHashSet<>(m.opTypes())), List.copyOf(OnnxOps.of(m.toBytes())));
    }
  }

  @Test
  void skipsFieldsOfEveryWireTypeAroundTheNodes() {
    // attributes hold floats (fixed32) and ints (varint); initializers are length-delimited
    OnnxModel m = new OnnxModel("t", 17);
    m.input("x", OnnxModel.FLOAT, "N", 4).output("y", OnnxModel.FLOAT, "N", 4);
    m.node("LeakyRelu", List.of("x"), List.of("a")).attr("alpha", 0.25f);
    m.int64s("shape", new long[] {-1, 4}, 2);
    m.node("Reshape", List.of("a", "shape"), List.of("y")).attr("allowzero", 0L);
    assertEquals(List.of("LeakyRelu", "Reshape"), List.copyOf(OnnxOps.of(m.toBytes())));
  }

  @Test
  void aTruncatedFileIsRefused() {
    byte[] whole = TinyOnnx.classifier(false).toBytes();
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    assertThrows(IllegalArgumentException.class, () -> OnnxOps.of(cut));
  }
}
