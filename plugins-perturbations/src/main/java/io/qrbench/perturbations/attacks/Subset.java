package io.qrbench.perturbations.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.qrbench.spi.ModelUnderTest;
import io.qrbench.spi.PerturbationContext;

/**
 * Some images of a batch as a batch of their own, for attacks that go on only with the images not
 * broken yet (APGD's restarts and targets, AutoAttack's components). Image i of the subset is image
 * {@code index[i]} of the parent and keeps its seed, so its random draws are those it would get in
 * any batch. What a perturbation records on the subset is dropped: the caller records for the whole
 * batch. A single image is taken twice (see {@link #of}); the caller reads each back once.
 *
 * @param parent the whole batch
 * @param index the parent's images taken, increasing (or one image twice)
 * @param images those images
 * @param labels their labels
 */
record Subset(PerturbationContext parent, int[] index, NDArray images, NDArray labels)
    implements PerturbationContext {

  /**
   * The images of {@code parent} where {@code take} is true; arrays made in the parent's manager.
   */
  static Subset of(PerturbationContext parent, boolean[] take) {
    int count = 0;
    for (boolean t : take) {
      count += t ? 1 : 0;
    }
    int[] index = new int[count];
    for (int i = 0, k = 0; i < take.length; i++) {
      if (take[i]) {
        index[k++] = i;
      }
    }
    if (count == 1) {
      // PyTorch's CPU convolution takes another path for a batch of one, whose gradients differ in
      // the last bits (94 of 768 components on ConfidentNet; none between batches of 2 and 8), and
      // the image's attack with them: a lone image goes as two copies of itself, which compute
      // alike
      index = new int[] {index[0], index[0]};
    } else if (count == take.length) {
      return new Subset(parent, index, parent.images(), parent.labels());
    }
    NDArray at = parent.manager().create(index);
    return new Subset(parent, index, gather(parent.images(), at), gather(parent.labels(), at));
  }

  private static NDArray gather(NDArray a, NDArray at) {
    return a.get(new NDIndex("{}", at));
  }

  /** How many images were taken. */
  int size() {
    return index.length;
  }

  /**
   * The parent's batch with the rows of {@code fromSubset} put where {@code put} is true (indexed
   * by the parent's images, true only for images of the subset) and {@code into}'s rows elsewhere.
   */
  NDArray scatter(NDArray fromSubset, boolean[] put, NDArray into) {
    int n = parent.batchSize();
    int[] source = new int[n]; // a row of the subset for each parent image; 0 where not put
    float[] mask = new float[n];
    for (int k = 0; k < index.length; k++) {
      if (put[index[k]]) {
        source[index[k]] = k;
        mask[index[k]] = 1f;
      }
    }
    NDManager m = parent.manager();
    NDArray spread =
        index.length == n && isIdentity() ? fromSubset : gather(fromSubset, m.create(source));
    NDArray where =
        m.create(mask).reshape(Steps.column(into.getShape())).broadcast(into.getShape()).gt(0.5f);
    return NDArrays.where(where, spread, into);
  }

  private boolean isIdentity() {
    for (int k = 0; k < index.length; k++) {
      if (index[k] != k) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int firstIndex() {
    return parent.firstIndex() + (index.length == 0 ? 0 : index[0]);
  }

  @Override
  public long seed(int i) {
    return parent.seed(index[i]);
  }

  @Override
  public ModelUnderTest model() {
    return parent.model();
  }

  @Override
  public NDManager manager() {
    return parent.manager();
  }

  @Override
  public void record(String metric, float[] perImage) {
    // dropped: the caller records per image of the whole batch
  }
}
