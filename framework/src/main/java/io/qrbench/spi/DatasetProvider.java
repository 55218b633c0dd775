package io.qrbench.spi;

/**
 * Opens labelled image datasets. A suite names a dataset as {@code {id: ..., split: test,
 * limit: 1000, ...}}; {@code split} and {@code limit} are handled by the runner, the other keys
 * are bound to this provider's configuration record.
 *
 * @param <C> the dataset's configuration record
 */
public interface DatasetProvider<C extends Record> extends Plugin<C> {

  /**
   * Opens one split. Missing or corrupt data is a {@link io.qrbench.ConfigException} whose
   * message names every place tried and how to fix it.
   *
   * @param config the bound configuration
   * @param split which part to open
   * @return the images of that split, in their canonical order
   */
  ImageDataset open(C config, Split split);
}
