package io.qrbench.onnx;

import io.qrbench.spi.ModelProvider;
import io.qrbench.testkit.ModelProviderContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The ONNX provider against the test kit's contract, as any third-party model. */
class OnnxContractTest extends ModelProviderContract<OnnxModelProvider.Config> {
  private static Path file;

  @Override
  protected ModelProvider<OnnxModelProvider.Config> provider() {
    return new OnnxModelProvider();
  }

  @Override
  protected OnnxModelProvider.Config config() {
    return new OnnxModelProvider.Config(10, null);
  }

  @Override
  protected Optional<Path> weights() {
    synchronized (OnnxContractTest.class) {
      if (file == null) {
        try {
          Path f = Files.createTempFile("qrbench-contract", ".onnx");
          f.toFile().deleteOnExit();
          file = TinyOnnx.write(TinyOnnx.classifier(true), f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return Optional.of(file);
    }
  }
}
