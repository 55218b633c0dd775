package io.qrbench.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Downloads one URL to a file with the JDK's HTTP client, following redirects and reporting
 * progress about every 10%. A download that receives nothing for {@link #STALL} is aborted: the JDK
 * client has no read timeout of its own, and a hung transfer must not hang a run.
 */
final class Downloader {
  static final Duration STALL = Duration.ofSeconds(90);
  private static final Duration CONNECT = Duration.ofSeconds(30);

  private Downloader() {}

  /**
   * Writes the body of {@code uri} to {@code target} (created or replaced).
   *
   * @throws IOException when the server is unreachable, answers other than 200, or the transfer
   *     breaks or stalls; {@code target} may then hold part of the body, the caller deletes it
   */
  static void download(URI uri, Path target, Consumer<String> log) throws IOException {
    HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT)
            .build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(STALL).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("the server answered HTTP " + response.statusCode());
      }
      long total = response.headers().firstValueAsLong("content-length").orElse(-1);
      log.accept("downloading " + uri + (total > 0 ? " (" + mb(total) + ")" : ""));
      copy(body, target, total, log);
    }
  }

  private static void copy(InputStream body, Path target, long total, Consumer<String> log)
      throws IOException {
    AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "qrbench-download-watchdog");
              t.setDaemon(true);
              return t;
            });
    // Closing the body from another thread makes the blocked read throw: that is the abort.
    watchdog.scheduleAtFixedRate(
        () -> {
          if (System.nanoTime() - lastProgress.get() > STALL.toNanos()) {
            try {
              body.close();
            } catch (IOException ignored) {
              // the reader sees the failure
            }
          }
        },
        5,
        5,
        TimeUnit.SECONDS);
    long done = 0;
    int shownTenth = 0;
    try (OutputStream out = Files.newOutputStream(target)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = body.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        done += n;
        lastProgress.set(System.nanoTime());
        if (total > 0 && done * 10 / total > shownTenth && done < total) {
          shownTenth = (int) (done * 10 / total);
          log.accept("  " + shownTenth * 10 + "% (" + mb(done) + " of " + mb(total) + ")");
        } else if (total <= 0 && done / (16L << 20) > shownTenth) {
          shownTenth = (int) (done / (16L << 20));
          log.accept("  " + mb(done));
        }
      }
    } catch (IOException e) {
      boolean stalled = System.nanoTime() - lastProgress.get() > STALL.toNanos();
      throw stalled ? new IOException("no data for " + STALL.toSeconds() + " s; gave up", e) : e;
    } finally {
      watchdog.shutdownNow();
    }
    if (total > 0 && done != total) {
      throw new IOException("the transfer broke off after " + done + " of " + total + " bytes");
    }
    log.accept("  100% (" + mb(done) + ")");
  }

  static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
