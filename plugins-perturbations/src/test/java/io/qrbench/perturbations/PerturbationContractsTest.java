package io.qrbench.perturbations;

import io.qrbench.perturbations.attacks.Bim;
import io.qrbench.perturbations.attacks.Fgsm;
import io.qrbench.perturbations.attacks.MinimalAttack;
import io.qrbench.perturbations.attacks.Pgd;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.Perturbation;
import io.qrbench.testkit.PerturbationContract;
import org.junit.jupiter.api.Nested;

/**
 * Every perturbation of this module against the test kit's contract (qrbench-testkit), as a
 * third-party perturbation would be tested: seeded fake batches, a linear model for the attacks.
 */
class PerturbationContractsTest {

  @Nested
  class Gaussian extends PerturbationContract<NormalNoiseConfig> {
    @Override
    protected Perturbation<NormalNoiseConfig> perturbation() {
      return new GaussianNoise();
    }

    @Override
    protected NormalNoiseConfig config() {
      return new NormalNoiseConfig(null, 0.05, null, null);
    }
  }

  @Nested
  class GaussianCifar10C extends PerturbationContract<NormalNoiseConfig> {
    @Override
    protected Perturbation<NormalNoiseConfig> perturbation() {
      return new GaussianNoise();
    }

    @Override
    protected NormalNoiseConfig config() {
      return new NormalNoiseConfig(null, null, 5, true);
    }
  }

  @Nested
  class Speckle extends PerturbationContract<NormalNoiseConfig> {
    @Override
    protected Perturbation<NormalNoiseConfig> perturbation() {
      return new SpeckleNoise();
    }

    @Override
    protected NormalNoiseConfig config() {
      return new NormalNoiseConfig(null, 0.5, null, null);
    }
  }

  @Nested
  class Poisson extends PerturbationContract<PoissonNoise.Config> {
    @Override
    protected Perturbation<PoissonNoise.Config> perturbation() {
      return new PoissonNoise();
    }

    @Override
    protected PoissonNoise.Config config() {
      return new PoissonNoise.Config(null, null, null);
    }
  }

  @Nested
  class SaltAndPepper extends PerturbationContract<SaltAndPepperNoise.Config> {
    @Override
    protected Perturbation<SaltAndPepperNoise.Config> perturbation() {
      return new SaltAndPepperNoise();
    }

    @Override
    protected SaltAndPepperNoise.Config config() {
      return new SaltAndPepperNoise.Config(0.2, null, null, null);
    }
  }

  @Nested
  class None extends PerturbationContract<EmptyConfig> {
    @Override
    protected Perturbation<EmptyConfig> perturbation() {
      return new NoPerturbation();
    }

    @Override
    protected EmptyConfig config() {
      return new EmptyConfig();
    }

    @Override
    protected boolean random() {
      return false;
    }

    @Override
    protected boolean changesImages() {
      return false;
    }
  }

  @Nested
  class FgsmAttack extends PerturbationContract<Fgsm.Config> {
    @Override
    protected Perturbation<Fgsm.Config> perturbation() {
      return new Fgsm();
    }

    @Override
    protected Fgsm.Config config() {
      return new Fgsm.Config(8 / 255.0);
    }

    @Override
    protected boolean random() {
      return false; // one signed gradient step: no random draws
    }
  }

  @Nested
  class BimAttack extends PerturbationContract<Bim.Config> {
    @Override
    protected Perturbation<Bim.Config> perturbation() {
      return new Bim();
    }

    @Override
    protected Bim.Config config() {
      return new Bim.Config(8 / 255.0, 2 / 255.0, 5);
    }

    @Override
    protected boolean random() {
      return false;
    }
  }

  @Nested
  class PgdLinf extends PerturbationContract<Pgd.Config> {
    @Override
    protected Perturbation<Pgd.Config> perturbation() {
      return new Pgd();
    }

    @Override
    protected Pgd.Config config() {
      return new Pgd.Config("linf", 8 / 255.0, 2 / 255.0, 3, true, 2);
    }
  }

  @Nested
  class PgdL2 extends PerturbationContract<Pgd.Config> {
    @Override
    protected Perturbation<Pgd.Config> perturbation() {
      return new Pgd();
    }

    @Override
    protected Pgd.Config config() {
      return new Pgd.Config("l2", 0.5, 0.1, 5, true, 1);
    }
  }

  @Nested
  class Minimal extends PerturbationContract<MinimalAttack.Config> {
    @Override
    protected Perturbation<MinimalAttack.Config> perturbation() {
      return new MinimalAttack();
    }

    @Override
    protected MinimalAttack.Config config() {
      return new MinimalAttack.Config(1 / 255.0, 32, 4);
    }

    @Override
    protected boolean random() {
      return false;
    }
  }
}
