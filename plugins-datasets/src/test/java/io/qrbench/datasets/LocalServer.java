package io.qrbench.datasets;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A web server on 127.0.0.1 for download tests: {@code /redirect} answers 302 to {@code /file},
 * which serves the given bytes (or {@code status} when it is not 200). Requests are recorded.
 */
final class LocalServer implements AutoCloseable {
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  LocalServer(byte[] body, int status, List<String> events) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/redirect",
        ex -> {
          requests.add(ex.getRequestURI().getPath());
          ex.getResponseHeaders().add("Location", "/file");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.createContext(
        "/file",
        ex -> {
          requests.add(ex.getRequestURI().getPath());
          events.add("http " + ex.getRequestURI().getPath());
          if (status != 200) {
            ex.sendResponseHeaders(status, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
          ex.close();
        });
    server.start();
  }

  /** The address that redirects to the file, so every download follows a redirect. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/redirect");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
