package io.qrbench.models;

import io.qrbench.spi.ModelInput;
import io.qrbench.spi.ModelProvider;
import io.qrbench.testkit.ModelProviderContract;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/**
 * Every model of this module against the test kit's contract (qrbench-testkit), as a third-party
 * model would be tested: built for CIFAR-10's shape (and a grey one), freshly initialised.
 */
class ModelContractsTest {

  @Nested
  class ResNet20 extends ModelProviderContract<CifarResNet.Config> {
    @Override
    protected ModelProvider<CifarResNet.Config> provider() {
      return new CifarResNet();
    }

    @Override
    protected CifarResNet.Config config() {
      return new CifarResNet.Config(20, null, null);
    }
  }

  @Nested
  class ResNet8Grey extends ModelProviderContract<CifarResNet.Config> {
    @Override
    protected ModelProvider<CifarResNet.Config> provider() {
      return new CifarResNet();
    }

    @Override
    protected CifarResNet.Config config() {
      return new CifarResNet.Config(8, null, null);
    }

    @Override
    protected ModelInput input() {
      return new ModelInput(1, 28, 28, 10);
    }
  }

  @Nested
  class Small extends ModelProviderContract<SmallCnn.Config> {
    @Override
    protected ModelProvider<SmallCnn.Config> provider() {
      return new SmallCnn();
    }

    @Override
    protected SmallCnn.Config config() {
      return new SmallCnn.Config(16);
    }
  }

  @Nested
  class TorchScript extends ModelProviderContract<TorchScriptModel.Config> {
    @Override
    protected ModelProvider<TorchScriptModel.Config> provider() {
      return new TorchScriptModel();
    }

    @Override
    protected TorchScriptModel.Config config() {
      return new TorchScriptModel.Config(List.of(3, 32, 32), 10);
    }

    @Override
    protected Optional<Path> weights() {
      try {
        return Optional.of(
            Path.of(
                ModelContractsTest.class.getResource("/torchscript/tiny_classifier.pt").toURI()));
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
