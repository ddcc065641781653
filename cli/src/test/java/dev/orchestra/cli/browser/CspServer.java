package dev.orchestra.cli.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the files of one directory on 127.0.0.1 (a free port) with a fixed Content-Security-Policy
 * header on every response, as Jenkins serves archived HTML. Anything outside the directory is 404.
 * Close it to stop it.
 */
public final class CspServer implements AutoCloseable {
  /** Jenkins' default policy for archived files and {@code publishHTML} reports. */
  public static final String JENKINS_CSP =
      "sandbox; default-src 'none'; img-src 'self'; style-src 'self';";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  private final HttpServer server;
  private final Path root;
  private final String policy;

  private CspServer(Path root, String policy) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.policy = policy;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts serving {@code root} with {@code policy}. */
  public static CspServer serve(Path root, String policy) throws IOException {
    return new CspServer(root, policy);
  }

  /** The URL of {@code file} (relative to the served directory). */
  public URI url(String file) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + file);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Security-Policy", policy);
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/favicon.ico")) {
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      Path file = root.resolve(path.substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String name = file.getFileName().toString();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      exchange
          .getResponseHeaders()
          .set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
