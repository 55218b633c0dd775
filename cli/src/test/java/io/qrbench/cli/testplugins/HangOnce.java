package io.qrbench.cli.testplugins;

import ai.djl.ndarray.NDArray;
import io.qrbench.spi.EmptyConfig;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.PerturbationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test plugin that stops a run at a chosen case, so that a test can kill the process there and
 * not at whatever moment a poll happens to see. With the system property {@value #SIGNAL} naming a
 * file that does not exist yet, it creates the file and blocks forever; otherwise (the file exists,
 * or no property) it returns the images unchanged.
 */
public final class HangOnce implements Perturbation<EmptyConfig> {
  public static final String SIGNAL = "qrbench.test.hang-signal";

  @Override
  public String id() {
    return "hang-once";
  }

  @Override
  public String description() {
    return "test plugin: blocks once, after creating the file named by -D" + SIGNAL;
  }

  @Override
  public Class<EmptyConfig> configType() {
    return EmptyConfig.class;
  }

  @Override
  public NDArray apply(EmptyConfig config, PerturbationContext ctx) {
    String signal = System.getProperty(SIGNAL);
    if (signal != null) {
      try {
        Files.createFile(Path.of(signal));
        while (true) {
          Thread.sleep(60_000);
        }
      } catch (FileAlreadyExistsException e) {
        // hung once already: behave as the identity
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ctx.images();
  }
}
