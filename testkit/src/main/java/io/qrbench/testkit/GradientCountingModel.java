package io.qrbench.testkit;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.ModelUnderTest;

/**
 * A model that counts the gradients asked of it and passes every call to another: it tells whether
 * a perturbation is white-box, to check {@link io.qrbench.spi.Perturbation#usesGradients}.
 */
public final class GradientCountingModel implements ModelUnderTest {
  private final ModelUnderTest model;
  private int gradients;

  /**
   * @param model the model that answers
   */
  public GradientCountingModel(ModelUnderTest model) {
    this.model = model;
  }

  /** Loss and objective gradients asked for so far. */
  public int gradients() {
    return gradients;
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public int classes() {
    return model.classes();
  }

  @Override
  public NDArray logits(NDArray images) {
    return model.logits(images);
  }

  @Override
  public LossGradient lossGradient(NDArray images, NDArray labels) {
    gradients++;
    return model.lossGradient(images, labels);
  }

  @Override
  public ObjectiveGradient objectiveGradient(NDArray images, LogitObjective objective) {
    gradients++;
    return model.objectiveGradient(images, objective);
  }
}
