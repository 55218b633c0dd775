package io.qrbench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qrbench.spi.ModelProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ModelProvidersTest {

  @Test
  @SuppressWarnings("rawtypes") // a service interface's class literal is raw
  void everyModelIsRegistered() {
    List<String> ids =
        ServiceLoader.load(ModelProvider.class).stream().map(p -> p.get().id()).sorted().toList();
    assertEquals(List.of("resnet-cifar", "small-cnn", "torchscript"), ids);
  }
}
