package io.qrbench.spi;

import java.nio.file.Path;

/**
 * A file a dataset keeps locally.
 *
 * @param name what it is, e.g. {@code test_batch.bin}
 * @param path where it is (or would be)
 * @param present whether it exists
 * @param verified whether its checksum matched the published one
 * @param bytes its size, 0 when absent
 */
public record DataFile(String name, Path path, boolean present, boolean verified, long bytes) {}
