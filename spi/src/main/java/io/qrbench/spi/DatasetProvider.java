package io.qrbench.spi;

/**
 * Opens labelled image datasets. A suite names a dataset as {@code {id: ..., split: test, limit:
 * 1000, ...}}; {@code split} and {@code limit} are handled by the runner, the other keys are bound
 * to this provider's configuration record.
 *
 * @param <C> the dataset's configuration record
 */
public interface DatasetProvider<C extends Record> extends Plugin<C> {

  /**
   * Opens one split. Missing or corrupt data is a {@link io.qrbench.ConfigException} whose message
   * names every place tried and how to fix it.
   *
   * @param config the bound configuration
   * @param split which part to open
   * @return the images of that split, in their canonical order
   */
  ImageDataset open(C config, Split split);

  /**
   * The images' shape and the class count, when the configuration alone tells them, so that {@code
   * qrbench validate} can check models and weights against the data without reading or downloading
   * it. Empty (the default) when only {@link #open} can tell; validate then opens it.
   *
   * @param config the bound configuration
   */
  default java.util.Optional<ModelInput> input(C config) {
    return java.util.Optional.empty();
  }

  /**
   * Makes sure the data is available locally (downloading, converting and verifying it as needed),
   * for {@code qrbench data fetch}. The default does nothing: generated or local data.
   *
   * @param config the bound configuration
   * @param log receives one line per step, for the user
   */
  default void fetch(C config, java.util.function.Consumer<String> log) {}

  /**
   * The files this dataset keeps locally, where they are and whether they are verified, for {@code
   * qrbench data list}. Empty (the default) for generated data.
   */
  default java.util.List<DataFile> files(C config) {
    return java.util.List.of();
  }
}
